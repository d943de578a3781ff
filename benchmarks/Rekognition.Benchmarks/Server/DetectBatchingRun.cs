using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Rekognition.Benchmarks.Inference;
using Rekognition.Core;
using Rekognition.Core.Model;
using Rekognition.Server;

namespace Rekognition.Benchmarks.Server;

/// <summary>
/// First, what batching can gain at most here: the model alone on one unit (1 intra-op thread, as each of 2 units gets on
/// 2 cores), ms per image at batch 1, 4 and 8, interleaved. Then today's path (BatchWindow 0: one session run per
/// request) against dynamic batching, in one process: two hosts, each
/// with MobileNetV2 on 2 inference units, driven in turn (interleaved, in several rounds, so the shared machine's drift
/// hits both alike) at 1, 4, 16 and 64 concurrent callers, in process (the client) and over HTTP on loopback. Prints
/// images/s answered, throttled/s, p50/p99 latency of answered calls per cell, then each round's batched/today ratios
/// and their medians. Both queue up to 64 requests per unit for up to 10 s, so the cells measure throughput and
/// latency rather than the admission limits. Last, the 200-caller HTTP load (as the detect-load run: 1..2 units, the
/// options' default queue limits, so overload is refused) on two more hosts, interleaved the same way: requests/s
/// answered and refused. A throttled caller backs off 10 ms, as an SDK client would, instead of spinning.
///   dotnet run -c Release --project benchmarks/Rekognition.Benchmarks -- detect-batching [seconds per cell] [rounds] [batch window ms] [max batch] [200-caller seconds]
/// </summary>
internal static class DetectBatchingRun
{
    private static readonly int[] CallerCounts = [1, 4, 16, 64];
    private const int LoadCallers = 200;

    public static async Task<int> RunAsync(string[] args)
    {
        var seconds = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 3;
        var rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 3;
        var windowMs = args.Length > 2 ? double.Parse(args[2], CultureInfo.InvariantCulture) : 2;
        var maxBatch = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 8;
        var loadSeconds = args.Length > 4 ? double.Parse(args[4], CultureInfo.InvariantCulture) : 5;
        var root = Path.Combine(Path.GetTempPath(), "rekognition-batching-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            ModelAlone(rounds, maxBatch);
            await using var today = await ServedModel.StartAsync(Path.Combine(root, "today"), TimeSpan.Zero, maxBatch, Unlimited);
            await using var batched = await ServedModel.StartAsync(Path.Combine(root, "batched"), TimeSpan.FromMilliseconds(windowMs), maxBatch, Unlimited);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"MobileNetV2 on 2 units each, {Environment.ProcessorCount} cores; today: window 0; batched: window {windowMs} ms, up to {maxBatch} per batch; {seconds} s per cell, {rounds} rounds"));
            foreach (var model in new[] { today, batched })
            {
                await Drive(model.InProcess, 8, TimeSpan.FromSeconds(2));
                await Drive(model.OverHttp, 8, TimeSpan.FromSeconds(2));
            }

            // Per (transport, callers): the two paths back to back, the order alternating, round after round; short
            // cells and many rounds, so each ratio compares two neighbouring seconds of the shared machine.
            var results = new Dictionary<(string Transport, int Callers, string Path), List<Cell>>();
            foreach (var (transport, pick) in new (string, Func<ServedModel, Func<Task<bool>>>)[] { ("in process", m => m.InProcess), ("HTTP", m => m.OverHttp) })
            {
                foreach (var callers in CallerCounts)
                {
                    for (var round = 0; round < rounds; round++)
                    {
                        var order = round % 2 == 0 ? new[] { ("today", today), ("batched", batched) } : new[] { ("batched", batched), ("today", today) };
                        foreach (var (path, model) in order)
                        {
                            var cell = await Drive(pick(model), callers, TimeSpan.FromSeconds(seconds));
                            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                                $"{transport,-10} {callers,2} callers round {round + 1} {path,-7}: {cell.ImagesPerSecond,6:0.0} images/s, {cell.ThrottledPerSecond,6:0.0}/s throttled, {cell.Errors} errors, p50 {cell.P50,6:0.0} ms, p99 {cell.P99,6:0.0} ms"));
                            var key = (transport, callers, path);
                            if (!results.TryGetValue(key, out var list))
                            {
                                results[key] = list = new List<Cell>();
                            }

                            list.Add(cell);
                        }
                    }
                }
            }

            Console.WriteLine();
            Console.WriteLine("batched / today: median of the rounds' ratios (their range), and each path's median:");
            foreach (var transport in new[] { "in process", "HTTP" })
            {
                foreach (var callers in CallerCounts)
                {
                    var t = results[(transport, callers, "today")];
                    var b = results[(transport, callers, "batched")];
                    var throughput = t.Zip(b, (x, y) => y.ImagesPerSecond / x.ImagesPerSecond).ToArray();
                    var p99 = t.Zip(b, (x, y) => y.P99 / x.P99).ToArray();
                    var p50 = t.Zip(b, (x, y) => y.P50 / x.P50).ToArray();
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{transport,-10} {callers,2} callers: images/s x{Median(throughput):0.00} (rounds {throughput.Min():0.00}..{throughput.Max():0.00}; today {Median(t.Select(c => c.ImagesPerSecond).ToArray()):0}, batched {Median(b.Select(c => c.ImagesPerSecond).ToArray()):0}); p50 x{Median(p50):0.00}; p99 x{Median(p99):0.00} (rounds {p99.Min():0.00}..{p99.Max():0.00}; today {Median(t.Select(c => c.P99).ToArray()):0} ms, batched {Median(b.Select(c => c.P99).ToArray()):0} ms)"));
                }
            }

            var loadErrors = await LoadAsync(root, windowMs, maxBatch, rounds, TimeSpan.FromSeconds(loadSeconds));
            return results.Values.SelectMany(l => l).Sum(c => c.Errors) + loadErrors == 0 ? 0 : 1;
        }
        finally
        {
            try
            {
                Directory.Delete(root, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>Per-image time of the bare model run at batch 1, 4 and <paramref name="maxBatch"/> on one 1-thread unit.</summary>
    private static void ModelAlone(int rounds, int maxBatch)
    {
        var options = new Rekognition.Onnx.Runtime.OnnxRuntimeOptions();
        var factory = Rekognition.Onnx.Runtime.OnnxSessionFactory.Create(options, 1, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        var metadata = InferenceData.MobileNetMetadata();
        using var unit = Rekognition.Onnx.Hosting.InferenceUnit.Create(factory, File.ReadAllBytes(InferenceData.MobileNetV2), metadata, "mobilenetv2", maxBatch);
        using var buffer = new Rekognition.Onnx.Hosting.BatchBuffer(unit.ImageShape, maxBatch);
        var random = new Random(1);
        for (var i = 0; i < maxBatch; i++)
        {
            foreach (ref var value in buffer.Slot(i))
            {
                value = random.NextSingle();
            }
        }

        var sizes = new[] { 1, 4, maxBatch }.Distinct().Where(n => n <= unit.MaxBatch).ToArray();
        var perImage = sizes.ToDictionary(n => n, _ => new List<double>());
        for (var round = 0; round < rounds + 1; round++)
        {
            foreach (var n in round % 2 == 0 ? sizes : sizes.Reverse())
            {
                var clock = Stopwatch.StartNew();
                var runs = Math.Max(2, 24 / n);
                for (var r = 0; r < runs; r++)
                {
                    unit.Run(buffer, n);
                }

                if (round > 0)
                {
                    perImage[n].Add(clock.Elapsed.TotalMilliseconds / (runs * n)); // round 0 warms up
                }
            }
        }

        var single = Median(perImage[1].ToArray());
        Console.WriteLine("The model alone, one unit, 1 intra-op thread: " + string.Join(", ", sizes.Select(n => string.Create(CultureInfo.InvariantCulture,
            $"batch {n} {Median(perImage[n].ToArray()):0.00} ms/image (x{single / Median(perImage[n].ToArray()):0.00})"))));
    }

    /// <summary>Queues long enough that the throughput cells measure throughput, not admission.</summary>
    private static void Unlimited(Rekognition.Onnx.Runtime.OnnxRuntimeOptions options)
    {
        options.QueueLengthPerUnit = 64;
        options.QueueTimeout = TimeSpan.FromSeconds(10);
    }

    /// <summary>The 200-caller HTTP load with the default admission limits, today's path and batching in turn; returns the errors.</summary>
    private static async Task<long> LoadAsync(string root, double windowMs, int maxBatch, int rounds, TimeSpan duration)
    {
        await using var today = await ServedModel.StartAsync(Path.Combine(root, "load-today"), TimeSpan.Zero, maxBatch, _ => { }, minUnits: 1);
        await using var batched = await ServedModel.StartAsync(Path.Combine(root, "load-batched"), TimeSpan.FromMilliseconds(windowMs), maxBatch, _ => { }, minUnits: 1);
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{LoadCallers} callers over HTTP, 1..2 units, default queue limits, {duration.TotalSeconds} s per cell:"));
        var answered = new Dictionary<string, List<double>> { ["today"] = new(), ["batched"] = new() };
        long errors = 0;
        for (var round = 0; round < rounds; round++)
        {
            var order = round % 2 == 0 ? new[] { ("today", today), ("batched", batched) } : new[] { ("batched", batched), ("today", today) };
            foreach (var (path, model) in order)
            {
                var cell = await Drive(model.OverHttp, LoadCallers, duration);
                errors += cell.Errors;
                answered[path].Add(cell.ImagesPerSecond);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"HTTP {LoadCallers} callers round {round + 1} {path,-7}: {cell.ImagesPerSecond,6:0.0} requests/s answered, {cell.ThrottledPerSecond,6:0.0}/s refused, {cell.Errors} errors, p50 {cell.P50,6:0.0} ms, p99 {cell.P99,6:0.0} ms"));
            }
        }

        var ratios = answered["today"].Zip(answered["batched"], (t, b) => b / t).ToArray();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"HTTP {LoadCallers} callers: answered x{Median(ratios):0.00} (rounds {ratios.Min():0.00}..{ratios.Max():0.00}; today {Median(answered["today"].ToArray()):0}/s, batched {Median(answered["batched"].ToArray()):0}/s)"));
        return errors;
    }

    private static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private sealed record Cell(double ImagesPerSecond, double ThrottledPerSecond, long Errors, double P50, double P99);

    /// <summary><paramref name="callers"/> loops calling <paramref name="call"/> (true: answered, false: throttled) for <paramref name="duration"/>.</summary>
    private static async Task<Cell> Drive(Func<Task<bool>> call, int callers, TimeSpan duration)
    {
        var latencies = new List<double>[callers];
        long answered = 0, throttled = 0, errors = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, callers).Select(caller => Task.Run(async () =>
        {
            var mine = latencies[caller] = new List<double>(4096);
            while (clock.Elapsed < duration)
            {
                var start = Stopwatch.GetTimestamp();
                try
                {
                    if (await call().ConfigureAwait(false))
                    {
                        mine.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                        Interlocked.Increment(ref answered);
                    }
                    else
                    {
                        Interlocked.Increment(ref throttled);
                        await Task.Delay(10).ConfigureAwait(false);
                    }
                }
                catch (Exception ex) when (ex is AmazonRekognitionException or HttpRequestException)
                {
                    if (Interlocked.Increment(ref errors) == 1)
                    {
                        Console.WriteLine($"  error: {ex.GetType().Name}: {ex.Message}");
                    }
                }
            }
        })));

        var elapsed = clock.Elapsed.TotalSeconds;
        var all = latencies.SelectMany(l => l).Order().ToArray();
        double Percentile(double p) => all.Length == 0 ? double.NaN : all[Math.Min(all.Length - 1, (int)(p * all.Length))];
        return new Cell(answered / elapsed, throttled / elapsed, errors, Percentile(0.5), Percentile(0.99));
    }

    /// <summary>A server with MobileNetV2 started on <c>minUnits</c>..2 units under one batch window, called in process or over HTTP.</summary>
    private sealed class ServedModel : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly HttpClient _http;
        private readonly RekognitionCustomLabelsClient _client;
        private readonly string _version;
        private readonly byte[] _photo;
        private readonly byte[] _body;

        private ServedModel(WebApplication app, HttpClient http, RekognitionCustomLabelsClient client, string version, byte[] photo)
        {
            _app = app;
            _http = http;
            _client = client;
            _version = version;
            _photo = photo;
            _body = Encoding.UTF8.GetBytes($"{{\"ProjectVersionArn\":\"{version}\",\"Image\":{{\"Bytes\":\"{Convert.ToBase64String(photo)}\"}},\"MaxResults\":5}}");
        }

        public static async Task<ServedModel> StartAsync(string root, TimeSpan window, int maxBatch,
            Action<Rekognition.Onnx.Runtime.OnnxRuntimeOptions> queue, int minUnits = 2)
        {
            var builder = WebApplication.CreateBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Services.AddRekognitionCustomLabels(o =>
            {
                o.StoreRoot = Path.Combine(root, "store");
                o.BucketsRoot = Path.Combine(root, "buckets");
            });
            builder.Services.AddRekognitionOnnxRuntime(o =>
            {
                o.BatchWindow = window;
                o.MaxBatchSize = maxBatch;
                queue(o);
            });
            var app = builder.Build();
            app.MapRekognitionCustomLabels();
            await app.StartAsync();
            var endpoint = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
            var client = app.Services.GetRequiredService<RekognitionCustomLabelsClient>();
            var (_, version) = await DetectLoadRun.StartMobileNetAsync(client, app.Services.GetRequiredService<Rekognition.Core.Models.IModelTransferClient>(), root, minUnits, maxUnits: 2);
            var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256, UseProxy = false }) { BaseAddress = endpoint, Timeout = TimeSpan.FromSeconds(60) };
            return new ServedModel(app, http, client, version, InferenceData.AntPhoto());
        }

        public Func<Task<bool>> InProcess => async () =>
        {
            try
            {
                await _client.DetectCustomLabelsAsync(new DetectCustomLabelsRequest
                {
                    ProjectVersionArn = _version, Image = new Image { Bytes = new MemoryStream(_photo, writable: false) }, MaxResults = 5,
                }).ConfigureAwait(false);
                return true;
            }
            catch (ProvisionedThroughputExceededException)
            {
                return false;
            }
        };

        public Func<Task<bool>> OverHttp => async () =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new ByteArrayContent(_body) };
            request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/x-amz-json-1.1");
            request.Headers.TryAddWithoutValidation("X-Amz-Target", "RekognitionService.DetectCustomLabels");
            using var response = await _http.SendAsync(request).ConfigureAwait(false);
            var text = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return true;
            }

            if (text.Contains("ProvisionedThroughputExceededException", StringComparison.Ordinal))
            {
                return false;
            }

            throw new HttpRequestException($"{(int)response.StatusCode}: {text[..Math.Min(200, text.Length)]}");
        };

        public async ValueTask DisposeAsync()
        {
            await _client.StopProjectVersionAsync(new StopProjectVersionRequest { ProjectVersionArn = _version });
            _http.Dispose();
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
