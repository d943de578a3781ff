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
using Rekognition.Core.Models;
using Rekognition.Server;

namespace Rekognition.Benchmarks.Server;

/// <summary>
/// Many concurrent DetectCustomLabels calls over HTTP on loopback against the wire-protocol endpoint, with
/// MobileNetV2 running on its inference units: requests/s, p50/p99 latency, errors by kind (only
/// ProvisionedThroughputExceededException is expected under overload), and memory after warm-up and at the end.
/// </summary>
internal static class DetectLoadRun
{
    public static async Task<int> RunAsync(string[] args)
    {
        var seconds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 30;
        var callers = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 200;
        var maxUnits = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 2;
        // Optional: the batch window in ms (0: today's one run per request); the options' default otherwise.
        TimeSpan? window = args.Length > 3 ? TimeSpan.FromMilliseconds(double.Parse(args[3], CultureInfo.InvariantCulture)) : null;
        var root = Path.Combine(Path.GetTempPath(), "rekognition-load-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var builder = WebApplication.CreateBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Services.AddRekognitionCustomLabels(o =>
            {
                o.StoreRoot = Path.Combine(root, "store");
                o.BucketsRoot = Path.Combine(root, "buckets");
            });
            builder.Services.AddRekognitionOnnxRuntime(o => o.BatchWindow = window ?? o.BatchWindow);
            await using var app = builder.Build();
            app.MapRekognitionCustomLabels();
            await app.StartAsync();
            var endpoint = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

            var client = app.Services.GetRequiredService<RekognitionCustomLabelsClient>();
            var (project, version) = await StartMobileNetAsync(client, app.Services.GetRequiredService<IModelTransferClient>(), root, 1, maxUnits);
            var body = $"{{\"ProjectVersionArn\":\"{version}\",\"Image\":{{\"Bytes\":\"{Convert.ToBase64String(InferenceData.AntPhoto())}\"}},\"MaxResults\":5}}";

            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = callers, UseProxy = false }) { BaseAddress = endpoint, Timeout = TimeSpan.FromSeconds(60) };
            var options = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Rekognition.Onnx.Runtime.OnnxRuntimeOptions>>().Value;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Endpoint {endpoint}, {callers} callers, MobileNetV2 on 1..{maxUnits} inference units, {Environment.ProcessorCount} cores, batch window {options.BatchWindow.TotalMilliseconds} ms, up to {options.MaxBatchSize} per batch"));

            await DriveAsync(http, body, callers, TimeSpan.FromSeconds(5), "warm-up");
            var afterWarmUp = Memory();
            var result = await DriveAsync(http, body, callers, TimeSpan.FromSeconds(seconds), "measured");
            var atEnd = Memory();
            var units = (await client.DescribeProjectVersionsAsync(new DescribeProjectVersionsRequest { ProjectArn = project })).ProjectVersionDescriptions.Single();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Memory after warm-up: {afterWarmUp.Managed / 1e6:0.0} MB managed, {afterWarmUp.WorkingSet / 1e6:0} MB working set; at the end: {atEnd.Managed / 1e6:0.0} MB, {atEnd.WorkingSet / 1e6:0} MB"));
            Console.WriteLine($"Inference units at the end: desired {units.DesiredInferenceUnits}, in service {units.InServiceInferenceUnits}");
            await client.StopProjectVersionAsync(new StopProjectVersionRequest { ProjectVersionArn = version });
            await app.StopAsync();
            return result.Errors == 0 ? 0 : 1;
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

    /// <summary>Imports MobileNetV2 into a new project and starts it on <paramref name="minUnits"/>..<paramref name="maxUnits"/> units.</summary>
    internal static async Task<(string Project, string Version)> StartMobileNetAsync(RekognitionCustomLabelsClient client, IModelTransferClient models, string root, int minUnits, int maxUnits)
    {
        var package = ModelPackage.Write(Path.Combine(root, "package"), InferenceData.MobileNetV2, InferenceData.MobileNetMetadata());
        var project = await client.CreateProjectAsync(new CreateProjectRequest { ProjectName = "load" });
        var version = (await models.ImportProjectVersionAsync(new ImportProjectVersionRequest
        {
            ProjectArn = project.ProjectArn, VersionName = "mobilenet", ModelPath = package.ModelPath,
        })).ProjectVersionArn!;
        await client.StartProjectVersionAsync(new StartProjectVersionRequest { ProjectVersionArn = version, MinInferenceUnits = minUnits, MaxInferenceUnits = maxUnits });
        while (true)
        {
            var status = (await client.DescribeProjectVersionsAsync(new DescribeProjectVersionsRequest { ProjectArn = project.ProjectArn })).ProjectVersionDescriptions.Single();
            if (status.Status == ProjectVersionStatus.RUNNING)
            {
                return (project.ProjectArn!, version);
            }

            if (status.Status == ProjectVersionStatus.FAILED)
            {
                throw new InvalidOperationException(status.StatusMessage);
            }

            await Task.Delay(50);
        }
    }

    private sealed record Outcome(long Ok, long Throttled, long Errors);

    private static async Task<Outcome> DriveAsync(HttpClient http, string body, int callers, TimeSpan duration, string phase)
    {
        var latencies = new List<double>[callers];
        long ok = 0, throttled = 0, errors = 0;
        var otherErrors = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        var clock = Stopwatch.StartNew();
        var deadline = duration;
        var payload = Encoding.UTF8.GetBytes(body);
        await Task.WhenAll(Enumerable.Range(0, callers).Select(async caller =>
        {
            var mine = latencies[caller] = new List<double>(1024);
            while (clock.Elapsed < deadline)
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new ByteArrayContent(payload) };
                request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/x-amz-json-1.1");
                request.Headers.TryAddWithoutValidation("X-Amz-Target", "RekognitionService.DetectCustomLabels");
                var start = Stopwatch.GetTimestamp();
                try
                {
                    using var response = await http.SendAsync(request);
                    var text = await response.Content.ReadAsStringAsync();
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        mine.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                        Interlocked.Increment(ref ok);
                    }
                    else if (text.Contains("ProvisionedThroughputExceededException", StringComparison.Ordinal))
                    {
                        Interlocked.Increment(ref throttled);
                    }
                    else
                    {
                        Interlocked.Increment(ref errors);
                        otherErrors.AddOrUpdate($"{(int)response.StatusCode} {text[..Math.Min(120, text.Length)]}", 1, (_, n) => n + 1);
                    }
                }
                catch (HttpRequestException ex)
                {
                    Interlocked.Increment(ref errors);
                    otherErrors.AddOrUpdate(ex.Message, 1, (_, n) => n + 1);
                }
            }
        }));

        var elapsed = clock.Elapsed.TotalSeconds;
        var all = latencies.SelectMany(l => l).Order().ToArray();
        double Percentile(double p) => all.Length == 0 ? double.NaN : all[Math.Min(all.Length - 1, (int)(p * all.Length))];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{phase}: {elapsed:0.0} s, {ok / elapsed:0.0} requests/s answered, {throttled / elapsed:0.0}/s throttled (ProvisionedThroughputExceededException), {errors} other errors; latency of answered calls p50 {Percentile(0.5):0.0} ms, p99 {Percentile(0.99):0.0} ms"));
        foreach (var (error, count) in otherErrors)
        {
            Console.WriteLine($"  {count} x {error}");
        }

        return new Outcome(ok, throttled, errors);
    }

    private static (long Managed, long WorkingSet) Memory()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return (GC.GetTotalMemory(forceFullCollection: true), Process.GetCurrentProcess().WorkingSet64);
    }
}
