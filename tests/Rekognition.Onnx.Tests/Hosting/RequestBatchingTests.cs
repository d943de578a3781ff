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

/// <summary>Requests that arrive together run as one batch, each keeping its own answer, error and cancellation.</summary>
public class RequestBatchingTests
{
    private static readonly byte[] Red = TestImages.Solid(SKColors.Red);
    private static readonly byte[] Black = TestImages.Solid(SKColors.Black);
    private TemporaryDirectory _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TemporaryDirectory();

    [TearDown]
    public void TearDown() => _temp.Dispose();

    // A window long enough that callers started together always land in one batch.
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
        var together = await Task.WhenAll(photos.Select(photo => Task.Run(() => batched.DetectAsync(photo, CancellationToken.None).AsTask())));

        Assert.That(((OnnxModelHost)batched).LargestBatch, Is.EqualTo(photos.Length), "the calls ran as one batch");
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

        var calls = new[] { Red, truncated, Red, Red, Red }.Select(bytes => Outcome(host, bytes, CancellationToken.None)).ToArray();
        var outcomes = await Task.WhenAll(calls);

        Assert.That(outcomes[1], Is.InstanceOf<InvalidImageFormatException>());
        Assert.That(outcomes.Where((_, i) => i != 1), Is.All.Null);
        Assert.That(((OnnxModelHost)host).LargestBatch, Is.EqualTo(4));
    }

    [Test]
    public async Task CancelledCaller_IsCancelled_AndTheOthersInItsBatchAreAnswered()
    {
        await using var host = await Start(new ColourModel(), Batching());
        using var cancel = new CancellationTokenSource();

        var others = Enumerable.Range(0, 3).Select(_ => Outcome(host, Red, CancellationToken.None)).ToArray();
        var cancelled = Outcome(host, Red, cancel.Token);
        await Task.Delay(50);
        await cancel.CancelAsync();

        Assert.That(await cancelled, Is.InstanceOf<OperationCanceledException>());
        Assert.That(await Task.WhenAll(others), Is.All.Null);
        Assert.That(((OnnxModelHost)host).LargestBatch, Is.EqualTo(4), "the cancelled caller's slot ran with the batch, its answer dropped");
        Assert.That((await host.DetectAsync(Red, CancellationToken.None))[0].Score, Is.GreaterThan(0.99f));
    }

    [Test]
    public async Task Window_ClosesAtTheCallersDeadline_WhenDecodingUsedPartOfIt()
    {
        // QueueTimeout 300 ms, window 250 ms, and decoding that takes 200 ms of the (fake) clock: the window may
        // only run 100 ms, to 300 ms after the call arrived.
        var clock = new FakeTimeProvider();
        var options = new OnnxRuntimeOptions
        {
            IntraOpThreads = 1, BatchWindow = TimeSpan.FromMilliseconds(250), QueueTimeout = TimeSpan.FromMilliseconds(300),
        };
        var package = ModelPackage.Load(new ColourModel().WritePackage(_temp.Path));
        var decoder = new ClockedDecoder(new SkiaImageDecoder(), clock);
        await using var host = await new OnnxModelRuntime(Microsoft.Extensions.Options.Options.Create(options), decoder, timeProvider: clock)
            .StartAsync(package, new InferenceUnits(1, 1), CancellationToken.None);

        decoder.Takes = TimeSpan.FromMilliseconds(200);
        var slow = host.DetectAsync(Red, CancellationToken.None).AsTask();
        clock.Advance(TimeSpan.FromMilliseconds(99));
        Assert.That(slow.IsCompleted, Is.False, "still within the window");
        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.That((await slow.WaitAsync(TimeSpan.FromSeconds(10)))[0].Score, Is.GreaterThan(0.99f));

        // Decoding at once, the same call gets the whole window.
        decoder.Takes = TimeSpan.Zero;
        var quick = host.DetectAsync(Red, CancellationToken.None).AsTask();
        clock.Advance(TimeSpan.FromMilliseconds(249));
        Assert.That(quick.IsCompleted, Is.False, "still within the window");
        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.That((await quick.WaitAsync(TimeSpan.FromSeconds(10)))[0].Score, Is.GreaterThan(0.99f));
    }

    [Test]
    public async Task ModelFailingMidRun_FailsTheWholeBatchWithInternalServerError_AndTheUnitIsReplaced()
    {
        var model = new ColourModel { FailsOnBrightInput = true };
        await using var host = await Start(model, Batching(), model.FailingMetadata());

        // One red image makes the run fail: the black ones in its batch fail with it.
        var outcomes = await Task.WhenAll(new[] { Black, Black, Red, Black }.Select(bytes => Outcome(host, bytes, CancellationToken.None)));

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
