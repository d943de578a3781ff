using System.Runtime.CompilerServices;
using Rekognition.Core;
using Rekognition.Core.Inference;
using Rekognition.Core.Model;
using Rekognition.Core.Models;
using Rekognition.Onnx.Hosting;
using Rekognition.Onnx.Runtime;
using Rekognition.Onnx.Tests.Support;
using SkiaSharp;

namespace Rekognition.Onnx.Tests.Hosting;

public class OnnxModelHostTests
{
    private static readonly byte[] Red = TestImages.Solid(SKColors.Red);
    private static readonly byte[] Blue = TestImages.Solid(SKColors.Blue, format: SKEncodedImageFormat.Jpeg);
    private TemporaryDirectory _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TemporaryDirectory();

    [TearDown]
    public void TearDown() => _temp.Dispose();

    [Test]
    public async Task DetectAsync_RedAndBlueImages_ScoreTheirColour()
    {
        await using var host = await Start(new ColourModel(), new InferenceUnits(2, 2));

        var red = await host.DetectAsync(Red, CancellationToken.None);
        var blue = await host.DetectAsync(Blue, CancellationToken.None);

        Assert.That(red.MaxBy(p => p.Score).LabelIndex, Is.EqualTo(0));
        Assert.That(red.MaxBy(p => p.Score).Score, Is.GreaterThan(0.99f));
        Assert.That(blue.MaxBy(p => p.Score).LabelIndex, Is.EqualTo(1));
        Assert.That(host.InServiceInferenceUnits, Is.EqualTo(2));
        Assert.That(host.DesiredInferenceUnits, Is.EqualTo(2));
    }

    [Test]
    public async Task DetectAsync_LogitsModel_AreTurnedIntoProbabilities()
    {
        await using var host = await Start(new ColourModel { Softmax = false }, new InferenceUnits(1, 1));

        var red = await host.DetectAsync(Red, CancellationToken.None);

        Assert.That(red.Sum(p => p.Score), Is.EqualTo(1f).Within(1e-4));
        Assert.That(red[0].Score, Is.GreaterThan(0.99f));
    }

    [Test]
    public async Task DetectAsync_MoreCallersThanUnitsAndNoQueue_SomeGetProvisionedThroughputExceeded()
    {
        var options = new OnnxRuntimeOptions { IntraOpThreads = 1, QueueLengthPerUnit = 0 };
        await using var host = await Start(SlowModel(), new InferenceUnits(1, 1), options);

        var outcomes = await RunConcurrently(host, callers: 6, callsEach: 3);

        Assert.That(outcomes.Count(o => o is null), Is.GreaterThan(0), "some calls are served");
        Assert.That(outcomes.Where(o => o is not null), Is.Not.Empty.And.All.InstanceOf<ProvisionedThroughputExceededException>());
    }

    [Test]
    public async Task DetectAsync_CallersWithinTheQueue_AllSucceedAfterWaiting()
    {
        var options = new OnnxRuntimeOptions { IntraOpThreads = 1, QueueTimeout = TimeSpan.FromSeconds(30), QueueLengthPerUnit = 8 };
        await using var host = await Start(SlowModel(), new InferenceUnits(1, 1), options);

        var outcomes = await RunConcurrently(host, callers: 4, callsEach: 2);

        Assert.That(outcomes, Is.All.Null);
    }

    [Test]
    public async Task DetectAsync_CancelledWhileWaitingForAUnit_IsCancelled_AndTheHostStillServes()
    {
        var options = new OnnxRuntimeOptions { IntraOpThreads = 1, QueueTimeout = TimeSpan.FromSeconds(30) };
        await using var host = await Start(SlowModel(), new InferenceUnits(1, 1), options);
        var busy = RunConcurrently(host, callers: 1, callsEach: 6);
        await Task.Delay(30);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(5));

        Assert.CatchAsync<OperationCanceledException>(async () =>
        {
            while (true)
            {
                await host.DetectAsync(Red, cancel.Token);
            }
        });
        Assert.That(await busy, Is.All.Null);
        Assert.That((await host.DetectAsync(Red, CancellationToken.None)).MaxBy(p => p.Score).LabelIndex, Is.EqualTo(0));
    }

    [Test]
    public async Task Pool_UnderLoad_GrowsToMax_ThenShrinksToMinWhenIdle()
    {
        var options = new OnnxRuntimeOptions
        {
            IntraOpThreads = 1, QueueTimeout = TimeSpan.FromSeconds(30), ScaleDownAfterIdle = TimeSpan.FromMilliseconds(400),
            // One run per request: batched, four callers' requests share one unit's run and need no more units.
            BatchWindow = TimeSpan.Zero,
        };
        await using var host = await Start(SlowModel(), new InferenceUnits(1, 3), options);
        Assert.That((host.DesiredInferenceUnits, host.InServiceInferenceUnits), Is.EqualTo((1, 1)));

        await RunConcurrently(host, callers: 4, callsEach: 4);
        var grown = await WaitFor(() => host.InServiceInferenceUnits == 3, TimeSpan.FromSeconds(20));
        Assert.That(grown, Is.True, $"in service: {host.InServiceInferenceUnits}");

        var shrunk = await WaitFor(() => host.InServiceInferenceUnits == 1 && host.DesiredInferenceUnits == 1, TimeSpan.FromSeconds(20));
        Assert.That(shrunk, Is.True, $"in service: {host.InServiceInferenceUnits}, desired {host.DesiredInferenceUnits}");
        Assert.That(((OnnxModelHost)host).LiveUnits, Is.EqualTo(1));
    }

    [Test]
    public async Task DisposeAsync_WhileCallsRun_EachSucceedsOrIsNotReady_AndNoUnitIsLeft()
    {
        var options = new OnnxRuntimeOptions { IntraOpThreads = 1, QueueTimeout = TimeSpan.FromSeconds(30) };
        var host = (OnnxModelHost)await Start(SlowModel(), new InferenceUnits(2, 3), options);
        // Far more calls than are served before the host is disposed, which happens once some have been served: neither
        // side of the race depends on how fast this machine is.
        var served = new StrongBox<int>();
        var outcomes = RunConcurrently(host, callers: 8, callsEach: 500, served);

        Assert.That(await WaitFor(() => Volatile.Read(ref served.Value) >= 4, TimeSpan.FromSeconds(60)), Is.True, "no call was served");
        await host.DisposeAsync();
        var results = await outcomes;

        Assert.That(results.Where(o => o is not null), Is.All.InstanceOf<ResourceNotReadyException>());
        Assert.That(results.Count(o => o is null), Is.GreaterThan(0));
        Assert.That(results.Count(o => o is ResourceNotReadyException), Is.GreaterThan(0));
        Assert.That(host.LiveUnits, Is.Zero);
        Assert.That((host.InServiceInferenceUnits, host.DesiredInferenceUnits), Is.EqualTo((0, 0)));
        Assert.ThrowsAsync<ResourceNotReadyException>(async () => await host.DetectAsync(Red, CancellationToken.None));
    }

    [Test]
    public async Task StartStopStart_EachCycleServesAndFreesItsUnits()
    {
        var runtime = new OnnxModelRuntime(new OnnxRuntimeOptions { IntraOpThreads = 1 });
        var package = ModelPackage.Load(new ColourModel().WritePackage(_temp.Path));
        for (var cycle = 0; cycle < 3; cycle++)
        {
            var host = (OnnxModelHost)await runtime.StartAsync(package, new InferenceUnits(2, 2), CancellationToken.None);
            var red = await host.DetectAsync(Red, CancellationToken.None);
            Assert.That(red.MaxBy(p => p.Score).LabelIndex, Is.EqualTo(0));
            await host.DisposeAsync();
            Assert.That(host.LiveUnits, Is.Zero, $"cycle {cycle}");
        }
    }

    [Test]
    public async Task StartAsync_MissingProviderWithFail_Throws_AndWithFallback_Runs()
    {
        var package = ModelPackage.Load(new ColourModel().WritePackage(_temp.Path));
        Assume.That(Microsoft.ML.OnnxRuntime.OrtEnv.Instance().GetAvailableProviders(), Does.Not.Contain("CUDAExecutionProvider"));

        var failing = new OnnxModelRuntime(new OnnxRuntimeOptions { ExecutionProviders = ["CUDA"], MissingProvider = MissingProviderBehavior.Fail });
        Assert.ThrowsAsync<ExecutionProviderUnavailableException>(() => failing.StartAsync(package, new InferenceUnits(1, 1), CancellationToken.None));

        var fallback = new OnnxModelRuntime(new OnnxRuntimeOptions { ExecutionProviders = ["CUDA"], MissingProvider = MissingProviderBehavior.FallbackToCpu });
        await using var host = await fallback.StartAsync(package, new InferenceUnits(1, 1), CancellationToken.None);
        Assert.That(((OnnxModelHost)host).ExecutionProviders, Is.EqualTo(new[] { ExecutionProviderNames.Cpu }));
        Assert.That((await host.DetectAsync(Red, CancellationToken.None))[0].Score, Is.GreaterThan(0.99f));
    }

    [Test]
    public async Task DetectAsync_NotAnImage_IsInvalidImageFormat_AndTheUnitIsGivenBack()
    {
        await using var host = await Start(new ColourModel(), new InferenceUnits(1, 1));

        Assert.ThrowsAsync<InvalidImageFormatException>(async () => await host.DetectAsync(new byte[] { 1, 2, 3, 4, 5 }, CancellationToken.None));
        Assert.That((await host.DetectAsync(Red, CancellationToken.None))[0].Score, Is.GreaterThan(0.99f));
    }

    [Test]
    public async Task DetectAsync_WithTheTurboJpegDecoder_ScoresJpegAndPngColours()
    {
        if (!Imaging.Decoding.TurboJpegImageDecoder.IsAvailable)
        {
            Assert.Fail("No libturbojpeg on this machine: install it (Debian/Ubuntu: apt-get install libturbojpeg0).");
        }

        var package = ModelPackage.Load(new ColourModel().WritePackage(_temp.Path));
        var runtime = new OnnxModelRuntime(Microsoft.Extensions.Options.Options.Create(new OnnxRuntimeOptions { IntraOpThreads = 1 }), new Imaging.Decoding.TurboJpegImageDecoder());
        await using var host = await runtime.StartAsync(package, new InferenceUnits(1, 1), CancellationToken.None);

        var red = await host.DetectAsync(TestImages.Solid(SKColors.Red, format: SKEncodedImageFormat.Jpeg), CancellationToken.None);
        var blue = await host.DetectAsync(Blue, CancellationToken.None);
        var png = await host.DetectAsync(Red, CancellationToken.None);

        Assert.That(red.MaxBy(p => p.Score).LabelIndex, Is.EqualTo(0));
        Assert.That(blue.MaxBy(p => p.Score).LabelIndex, Is.EqualTo(1));
        Assert.That(png.MaxBy(p => p.Score).LabelIndex, Is.EqualTo(0));
        Assert.ThrowsAsync<InvalidImageFormatException>(async () => await host.DetectAsync(Blue.AsMemory(0, Blue.Length / 2), CancellationToken.None));
        Assert.That((await host.DetectAsync(Blue, CancellationToken.None)).MaxBy(p => p.Score).LabelIndex, Is.EqualTo(1));
    }

    [Test]
    public async Task DetectAsync_WithTheImageSharpDecoder_ScoresJpegAndPngColours_AndRefusesATruncatedImage()
    {
        var package = ModelPackage.Load(new ColourModel().WritePackage(_temp.Path));
        var options = new OnnxRuntimeOptions { IntraOpThreads = 1, ImageDecoder = Imaging.Decoding.ImageDecoderKind.ImageSharp };
        await using var host = await new OnnxModelRuntime(options).StartAsync(package, new InferenceUnits(1, 1), CancellationToken.None);

        Assert.That((await host.DetectAsync(Blue, CancellationToken.None)).MaxBy(p => p.Score).LabelIndex, Is.EqualTo(1));
        Assert.That((await host.DetectAsync(Red, CancellationToken.None)).MaxBy(p => p.Score).LabelIndex, Is.EqualTo(0));
        Assert.ThrowsAsync<InvalidImageFormatException>(async () => await host.DetectAsync(Blue.AsMemory(0, Blue.Length / 2), CancellationToken.None));
    }

    [Test]
    public async Task DetectAsync_WithTheProbedHeader_ScoresAsWithout_AndLogsTheDecodeAtDebug()
    {
        var package = ModelPackage.Load(new ColourModel().WritePackage(_temp.Path));
        var logs = new RecordingLogger();
        var runtime = new OnnxModelRuntime(Microsoft.Extensions.Options.Options.Create(new OnnxRuntimeOptions { IntraOpThreads = 1 }), loggerFactory: logs);
        await using var host = await runtime.StartAsync(package, new InferenceUnits(1, 1), CancellationToken.None);
        var jpeg = TestImages.Solid(SKColors.Blue, 200, 120, SKEncodedImageFormat.Jpeg);

        var without = await host.DetectAsync(jpeg, CancellationToken.None);
        var with = await host.DetectAsync(jpeg, Core.Images.ImageHeaderProbe.Probe(jpeg), CancellationToken.None);

        Assert.That(with.Select(p => p.Score), Is.EqualTo(without.Select(p => p.Score)));
        Assert.That(logs.Entries.Count(e => e.Level == Microsoft.Extensions.Logging.LogLevel.Debug && e.Message.StartsWith("Detect: a 200x120 image decoded as", StringComparison.Ordinal)),
            Is.EqualTo(2));
        Assert.That(logs.Entries.Count(e => e.Id.Id == 107 && e.Message.Contains("runs on 1 inference unit(s)", StringComparison.Ordinal)), Is.EqualTo(1),
            "the model start is logged once, with its event id");
    }

    // A 3x3 convolution with 96 channels over 320x320 makes each run take milliseconds, so callers overlap.
    private static ColourModel SlowModel() => new() { Width = 320, Height = 320, ConvChannels = 96 };

    private async Task<IModelHost> Start(ColourModel model, InferenceUnits units, OnnxRuntimeOptions? options = null)
    {
        var package = ModelPackage.Load(model.WritePackage(_temp.Path));
        return await new OnnxModelRuntime(options ?? new OnnxRuntimeOptions { IntraOpThreads = 1 }).StartAsync(package, units, CancellationToken.None);
    }

    /// <summary>Runs callers in parallel, each making calls one after another; the exception of each call, null for a success.</summary>
    private static async Task<List<Exception?>> RunConcurrently(IModelHost host, int callers, int callsEach, StrongBox<int>? served = null)
    {
        using var go = new ManualResetEventSlim();
        var tasks = Enumerable.Range(0, callers).Select(_ => Task.Factory.StartNew(async () =>
        {
            go.Wait();
            var outcomes = new List<Exception?>();
            for (var i = 0; i < callsEach; i++)
            {
                try
                {
                    var predictions = await host.DetectAsync(Red, CancellationToken.None);
                    Assert.That(predictions.MaxBy(p => p.Score).LabelIndex, Is.EqualTo(0));
                    outcomes.Add(null);
                    if (served is not null)
                    {
                        Interlocked.Increment(ref served.Value);
                    }
                }
                catch (AmazonRekognitionException ex)
                {
                    outcomes.Add(ex);
                }
            }

            return outcomes;
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap()).ToArray();
        go.Set();
        return (await Task.WhenAll(tasks)).SelectMany(o => o).ToList();
    }

    private static async Task<bool> WaitFor(Func<bool> condition, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > until)
            {
                return false;
            }

            await Task.Delay(20);
        }

        return true;
    }
}
