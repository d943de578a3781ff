using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;
using Rekognition.Core.Images;
using Rekognition.Core.Inference;
using Rekognition.Core.Model;
using Rekognition.Core.Models;
using Rekognition.Imaging.Decoding;
using Rekognition.Onnx.Hosting;
using Rekognition.Onnx.Runtime;
using Rekognition.Onnx.Tests.Support;
using SkiaSharp;

namespace Rekognition.Onnx.Tests.Hosting;

/// <summary>
/// A request that finds a unit free runs at once; requests that queue while every unit is busy run as one batch when a
/// unit frees (shared over the units), each keeping its own answer, error and cancellation. The order of events is
/// controlled by holding runs (<see cref="RunGate"/>), not by timing.
/// </summary>
public class RequestBatchingTests
{
    private static readonly byte[] Red = TestImages.Solid(SKColors.Red);
    private static readonly byte[] Black = TestImages.Solid(SKColors.Black);
    private TemporaryDirectory _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TemporaryDirectory();

    [TearDown]
    public void TearDown() => _temp.Dispose();

    // A window (batching on) far longer than any run here: a request that waited for it would show.
    private static OnnxRuntimeOptions Batching(int maxBatch = 8) => new()
    {
        IntraOpThreads = 1, BatchWindow = TimeSpan.FromMilliseconds(400), QueueTimeout = TimeSpan.FromSeconds(30), MaxBatchSize = maxBatch,
    };

    [Test]
    public async Task BatchedRun_GivesEachImageTheSameScoresAsARunOnItsOwn()
    {
        var package = ModelPackage.Write(Path.Combine(_temp.Path, "mobilenet"), TestData.MobileNetV2, TestData.MobileNetMetadata());
        var photos = Directory.GetFiles(Path.Combine(TestData.Hymenoptera, "ants"), "*.jpg").Order(StringComparer.Ordinal).Take(6)
            .Concat(Directory.GetFiles(Path.Combine(TestData.Hymenoptera, "bees"), "*.jpg").Order(StringComparer.Ordinal).Take(2))
            .Select(File.ReadAllBytes).ToArray();

        var alone = new List<IReadOnlyList<LabelPrediction>>();
        await using (var single = await new OnnxModelRuntime(new OnnxRuntimeOptions { IntraOpThreads = 1, BatchWindow = TimeSpan.Zero })
                         .StartAsync(package, new InferenceUnits(1, 1), CancellationToken.None))
        {
            Assert.That(((OnnxModelHost)single).MaxBatch, Is.EqualTo(1));
            foreach (var photo in photos)
            {
                alone.Add(await single.DetectAsync(photo, CancellationToken.None));
            }
        }

        await using var batched = await new OnnxModelRuntime(Batching()).StartAsync(package, new InferenceUnits(1, 1), CancellationToken.None);
        var gate = RunGate.On(batched, hold: 1);
        var holder = Outcome(batched, photos[0], CancellationToken.None);
        await gate.Held(1);
        var calls = photos.Select(photo => Task.Run(() => batched.DetectAsync(photo, CancellationToken.None).AsTask())).ToArray();
        Assert.That(await WaitFor(() => Queued(batched) == photos.Length), Is.True, "every call queued while the unit was busy");
        gate.Open(0);
        var together = await Task.WhenAll(calls);

        Assert.That(await holder, Is.Null);
        Assert.That(gate.Sizes, Is.EqualTo(new[] { 1, photos.Length }), "the queued calls ran as one batch when the unit freed");
        for (var i = 0; i < photos.Length; i++)
        {
            Assert.That(together[i].Select(p => p.LabelIndex), Is.EqualTo(alone[i].Select(p => p.LabelIndex)), $"photo {i}");
            Assert.That(together[i].Select(p => p.Score), Is.EqualTo(alone[i].Select(p => p.Score)).Within(1e-5f), $"photo {i}");
        }

        Assert.That(together.Select(t => t.MaxBy(p => p.Score).LabelIndex).Distinct().Count(), Is.GreaterThan(1), "different photos, different answers");
    }

    [Test]
    public async Task BadImageInABatch_FailsOnlyItsOwnRequest()
    {
        await using var host = await Start(new ColourModel(), Batching());
        var truncated = TestImages.Solid(SKColors.Blue, format: SKEncodedImageFormat.Jpeg)[..200];
        var gate = RunGate.On(host, hold: 1);
        var holder = Outcome(host, Red, CancellationToken.None);
        await gate.Held(1);

        var calls = new[] { Red, truncated, Red, Red, Red }.Select(bytes => Outcome(host, bytes, CancellationToken.None)).ToArray();
        Assert.That(await calls[1], Is.InstanceOf<InvalidImageFormatException>());
        Assert.That(await WaitFor(() => Queued(host) == 4), Is.True);
        gate.Open(0);
        var outcomes = await Task.WhenAll(calls);

        Assert.That(outcomes.Where((_, i) => i != 1).Append(await holder), Is.All.Null);
        Assert.That(gate.Sizes, Is.EqualTo(new[] { 1, 4 }));
    }

    [Test]
    public async Task CancelledCaller_IsCancelled_AndTheOthersInItsBatchAreAnswered()
    {
        await using var host = await Start(new ColourModel(), Batching());
        using var cancel = new CancellationTokenSource();
        var gate = RunGate.On(host, hold: 1);
        var holder = Outcome(host, Red, CancellationToken.None);
        await gate.Held(1);

        var others = Enumerable.Range(0, 3).Select(_ => Outcome(host, Red, CancellationToken.None)).ToArray();
        var cancelled = Outcome(host, Red, cancel.Token);
        Assert.That(await WaitFor(() => Queued(host) == 4), Is.True);
        await cancel.CancelAsync();

        Assert.That(await cancelled, Is.InstanceOf<OperationCanceledException>());
        Assert.That(Queued(host), Is.EqualTo(3), "the cancelled caller left the queue at once");
        gate.Open(0);
        Assert.That(await Task.WhenAll(others.Append(holder)), Is.All.Null);
        Assert.That(gate.Sizes, Is.EqualTo(new[] { 1, 3 }), "the batch ran without the cancelled caller");
        Assert.That((await host.DetectAsync(Red, CancellationToken.None))[0].Score, Is.GreaterThan(0.99f));
    }

    [Test]
    public async Task LoneRequest_RunsAtOnceOnAFreeUnit_WithoutWaitingForTheWindow()
    {
        // The clock is fake and never advances: a request that waited for the 250 ms window would never be answered.
        var clock = new FakeTimeProvider();
        await using var host = await StartClocked(clock, new SkiaImageDecoder());
        var gate = RunGate.On(host, hold: 0);

        var first = await host.DetectAsync(Red, CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        var second = await host.DetectAsync(Black, CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.That(first[0].Score, Is.GreaterThan(0.99f));
        Assert.That(second.Sum(p => p.Score), Is.EqualTo(1f).Within(1e-4));
        Assert.That(gate.Sizes, Is.EqualTo(new[] { 1, 1 }), "each ran alone, at once");
    }

    [Test]
    public async Task QueuedRequest_StillWaitingAtItsDeadline_FailsAsOverloaded_CountedFromItsArrival()
    {
        // QueueTimeout 300 ms and decoding that takes 200 ms of the (fake) clock: queued behind a held run, the call
        // may wait only 100 ms more, to 300 ms after it arrived.
        var clock = new FakeTimeProvider();
        var decoder = new ClockedDecoder(new SkiaImageDecoder(), clock);
        await using var host = await StartClocked(clock, decoder);
        var gate = RunGate.On(host, hold: 1);
        var holder = Outcome(host, Red, CancellationToken.None);
        await gate.Held(1);

        decoder.Takes = TimeSpan.FromMilliseconds(200);
        var queued = Outcome(host, Red, CancellationToken.None);
        Assert.That(await WaitFor(() => Queued(host) == 1), Is.True);
        clock.Advance(TimeSpan.FromMilliseconds(99));
        Assert.That(queued.IsCompleted, Is.False, "still within its deadline");
        clock.Advance(TimeSpan.FromMilliseconds(1));

        Assert.That(await queued, Is.InstanceOf<ProvisionedThroughputExceededException>());
        Assert.That(Queued(host), Is.Zero);
        gate.Open(0);
        Assert.That(await holder, Is.Null);
        Assert.That(gate.Sizes, Is.EqualTo(new[] { 1 }), "the expired call never ran");
    }

    [Test]
    public async Task QueuedRequests_AreSharedOverTheUnits_NotAllTakenByTheFirstToFree()
    {
        var package = ModelPackage.Load(new ColourModel().WritePackage(_temp.Path));
        await using var host = await new OnnxModelRuntime(Batching()).StartAsync(package, new InferenceUnits(2, 2), CancellationToken.None);
        // Held: both lone runs (both units busy), then the first batch a freed unit takes.
        var gate = RunGate.On(host, hold: 3);
        var holders = new[] { Outcome(host, Red, CancellationToken.None), Outcome(host, Red, CancellationToken.None) };
        await gate.Held(2);
        var queued = Enumerable.Range(0, 4).Select(_ => Outcome(host, Black, CancellationToken.None)).ToArray();
        Assert.That(await WaitFor(() => Queued(host) == 4), Is.True);

        gate.Open(0); // the first unit frees with 4 queued and the other busy: it takes its share, 2
        await gate.Held(1);
        gate.Open(1); // the second frees: it takes the rest while the first is still busy
        Assert.That(await WaitFor(() => gate.Runs.Count == 5), Is.True);
        gate.Open(2);

        Assert.That(await Task.WhenAll(holders.Concat(queued)), Is.All.Null);
        var runs = gate.Runs.ToArray();
        Assert.That(runs.Select(r => r.Size), Is.EqualTo(new[] { 1, 1, 2, 1, 1 }));
        Assert.That(runs[0].Unit, Is.Not.SameAs(runs[1].Unit));
        Assert.That(runs[2].Unit, Is.SameAs(runs[0].Unit), "the first unit to free took half the queue");
        Assert.That(runs[3].Unit, Is.SameAs(runs[1].Unit), "the second took the rest");
    }

    [Test]
    public async Task ModelFailingMidRun_FailsTheWholeBatchWithInternalServerError_AndTheUnitIsReplaced()
    {
        var model = new ColourModel { FailsOnBrightInput = true };
        await using var host = await Start(model, Batching(), model.FailingMetadata());
        var gate = RunGate.On(host, hold: 1);
        var holder = Outcome(host, Black, CancellationToken.None);
        await gate.Held(1);

        // One red image makes the run fail: the black ones in its batch fail with it.
        var calls = new[] { Black, Black, Red, Black }.Select(bytes => Outcome(host, bytes, CancellationToken.None)).ToArray();
        Assert.That(await WaitFor(() => Queued(host) == 4), Is.True);
        gate.Open(0);
        var outcomes = await Task.WhenAll(calls);

        Assert.That(await holder, Is.Null, "the run before the batch was answered");
        Assert.That(gate.Sizes, Is.EqualTo(new[] { 1, 4 }));
        Assert.That(outcomes, Is.All.InstanceOf<InternalServerErrorException>());
        Assert.That(((OnnxModelHost)host).ReplacedUnits, Is.EqualTo(1));
        Assert.That(await WaitFor(() => host.InServiceInferenceUnits == 1 && ((OnnxModelHost)host).LiveUnits == 1), Is.True, "a fresh unit took its place");
        var black = await host.DetectAsync(Black, CancellationToken.None);
        Assert.That(black.Sum(p => p.Score), Is.EqualTo(1f).Within(1e-4));
    }

    [Test]
    public async Task ModelFailingMidRun_WithoutBatching_FailsItsRequest_AndTheUnitIsReplaced()
    {
        var model = new ColourModel { FailsOnBrightInput = true };
        await using var host = await Start(model, new OnnxRuntimeOptions { IntraOpThreads = 1, BatchWindow = TimeSpan.Zero }, model.FailingMetadata());

        Assert.ThrowsAsync<InternalServerErrorException>(async () => await host.DetectAsync(Red, CancellationToken.None));

        Assert.That(((OnnxModelHost)host).ReplacedUnits, Is.EqualTo(1));
        Assert.That((await host.DetectAsync(Black, CancellationToken.None)).Sum(p => p.Score), Is.EqualTo(1f).Within(1e-4));
        Assert.That(((OnnxModelHost)host).LiveUnits, Is.EqualTo(1));
    }

    [Test]
    public async Task FixedBatchModel_RunsAtBatchOne()
    {
        await using var host = await Start(new ColourModel { FixedBatch = true }, Batching());

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Outcome(host, Red, CancellationToken.None)));

        Assert.That(((OnnxModelHost)host).MaxBatch, Is.EqualTo(1));
        Assert.That(outcomes, Is.All.Null);
    }

    [Test]
    public async Task ModelWhoseGraphRunsOnlyOneImage_DespiteASymbolicBatchAxis_RunsAtBatchOne()
    {
        await using var host = await Start(new ColourModel { BatchOfOneInside = true }, Batching());

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Outcome(host, Red, CancellationToken.None)));

        Assert.That(((OnnxModelHost)host).MaxBatch, Is.EqualTo(1));
        Assert.That(outcomes, Is.All.Null);
    }

    [Test]
    public async Task Stopping_WithABatchOpen_AnswersOrRefusesEachRequest_AndFreesEveryUnit()
    {
        var host = (OnnxModelHost)await Start(new ColourModel(), Batching());
        var calls = Enumerable.Range(0, 3).Select(_ => Outcome(host, Red, CancellationToken.None)).ToArray();
        await Task.Delay(50);

        await host.DisposeAsync();

        Assert.That(await Task.WhenAll(calls), Is.All.Null.Or.InstanceOf<ResourceNotReadyException>());
        Assert.That(host.LiveUnits, Is.Zero);
    }

    [TestCase(-1, 300, 8)]
    [TestCase(400, 300, 8)]
    [TestCase(2, 300, 0)]
    [TestCase(2, 300, OnnxRuntimeOptions.MaxBatchSizeLimit + 1)]
    public void Validate_BatchWindowOutsideZeroToQueueTimeout_OrBatchSizeOutOfRange_Throws(int windowMs, int queueMs, int maxBatch)
    {
        var options = new OnnxRuntimeOptions
        {
            BatchWindow = TimeSpan.FromMilliseconds(windowMs), QueueTimeout = TimeSpan.FromMilliseconds(queueMs), MaxBatchSize = maxBatch,
        };

        Assert.Throws<ArgumentException>(options.Validate);
    }

    private static int Queued(IModelHost host) => ((OnnxModelHost)host).Batcher!.Queued;

    private async Task<IModelHost> StartClocked(FakeTimeProvider clock, IImageDecoder decoder)
    {
        var options = new OnnxRuntimeOptions
        {
            IntraOpThreads = 1, BatchWindow = TimeSpan.FromMilliseconds(250), QueueTimeout = TimeSpan.FromMilliseconds(300),
        };
        var package = ModelPackage.Load(new ColourModel().WritePackage(_temp.Path));
        return await new OnnxModelRuntime(Microsoft.Extensions.Options.Options.Create(options), decoder, timeProvider: clock)
            .StartAsync(package, new InferenceUnits(1, 1), CancellationToken.None);
    }

    private async Task<IModelHost> Start(ColourModel model, OnnxRuntimeOptions options, ModelPackageMetadata? metadata = null)
    {
        var package = ModelPackage.Load(model.WritePackage(_temp.Path, metadata));
        return await new OnnxModelRuntime(options).StartAsync(package, new InferenceUnits(1, 1), CancellationToken.None);
    }

    /// <summary>One call on a thread of its own; its exception, or null when it was answered.</summary>
    private static Task<Exception?> Outcome(IModelHost host, byte[] image, CancellationToken cancellationToken) => Task.Run(async () =>
    {
        try
        {
            await host.DetectAsync(image, cancellationToken);
            return null;
        }
        catch (Exception ex)
        {
            return ex;
        }
    });

    private static async Task<bool> WaitFor(Func<bool> condition)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(20);
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

    /// <summary>
    /// Records every run (its unit and batch size, in order) and holds the first <c>hold</c> runs on their unit until
    /// opened, so a test decides when units are busy and when they free.
    /// </summary>
    private sealed class RunGate
    {
        private readonly SemaphoreSlim _entered = new(0);
        private readonly SemaphoreSlim[] _open;
        private int _count;

        private RunGate(int hold) => _open = Enumerable.Range(0, hold).Select(_ => new SemaphoreSlim(0)).ToArray();

        public ConcurrentQueue<(InferenceUnit Unit, int Size)> Runs { get; } = new();

        public int[] Sizes => Runs.Select(r => r.Size).ToArray();

        public static RunGate On(IModelHost host, int hold)
        {
            var gate = new RunGate(hold);
            ((OnnxModelHost)host).Batcher!.BeforeRun = gate.BeforeRun;
            return gate;
        }

        /// <summary>Waits until <paramref name="count"/> more held runs have started.</summary>
        public async Task Held(int count)
        {
            for (var i = 0; i < count; i++)
            {
                Assert.That(await _entered.WaitAsync(TimeSpan.FromSeconds(20)), Is.True, "a held run started");
            }
        }

        /// <summary>Lets held run <paramref name="run"/> (0-based, in start order) go on.</summary>
        public void Open(int run) => _open[run].Release();

        private void BeforeRun(InferenceUnit unit, int size)
        {
            var index = Interlocked.Increment(ref _count) - 1;
            Runs.Enqueue((unit, size));
            if (index < _open.Length)
            {
                _entered.Release();
                _open[index].Wait(TimeSpan.FromSeconds(30));
            }
        }
    }

    /// <summary>A decoder whose decoding takes <see cref="Takes"/> of a fake clock.</summary>
    private sealed class ClockedDecoder(IImageDecoder inner, FakeTimeProvider clock) : IImageDecoder
    {
        public TimeSpan Takes { get; set; }

        public ImageInfo Probe(ReadOnlySpan<byte> encoded) => inner.Probe(encoded);

        public DecodedImage Decode(ReadOnlySpan<byte> encoded, int targetWidth = 0, int targetHeight = 0)
        {
            clock.Advance(Takes);
            return inner.Decode(encoded, targetWidth, targetHeight);
        }
    }
}
