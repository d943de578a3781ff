using Rekognition.Core.Catalog;
using Rekognition.Core.Feedback;
using Rekognition.Core.Images;
using Rekognition.Core.Inference;
using Rekognition.Core.Model;
using Rekognition.Core.Models;
using Rekognition.Core.Storage;
using Rekognition.Core.Storage.Confinement;
using Rekognition.Core.Tests.TestSupport;

namespace Rekognition.Core.Tests.Management;

/// <summary>The recording decorator takes the header hosting probed: passed to the model and recorded, the image not read a second time.</summary>
public class FeedbackHeaderTests
{
    private string _buckets = null!;

    [SetUp]
    public void SetUp() => _buckets = Directory.CreateTempSubdirectory("rk-feedback-header-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_buckets, recursive: true);

    [Test]
    public async Task TheProbedHeader_ReachesTheModel_AndTheRecord()
    {
        var image = PngBuilder.Rgb(130, 64);
        // A header unlike the image's own: what is recorded can only come from it, not from reading the image again.
        var header = new ImageInfo(ImageProbeStatus.Ok, ImageFormat.Png, 13, 6, image.Length, null);
        var (host, catalog, recorder) = Recorder();

        await recorder.DetectAsync(image, header, CancellationToken.None);

        Assert.That(host.Headers, Is.EqualTo(new ImageInfo?[] { header }), "the model got the header through its header overload");
        Assert.That(catalog.Sizes, Is.EqualTo(new[] { (13, 6) }));
    }

    [Test]
    public async Task WithoutAHeader_TheImageIsProbedForTheRecord()
    {
        var (host, catalog, recorder) = Recorder();

        await recorder.DetectAsync(PngBuilder.Rgb(130, 64), CancellationToken.None);

        Assert.That(host.Headers, Is.EqualTo(new ImageInfo?[] { null }));
        Assert.That(catalog.Sizes, Is.EqualTo(new[] { (130, 64) }));
    }

    private (HeaderHost Host, RecordingCatalog Catalog, IModelHost Recorder) Recorder()
    {
        var runtime = new FeedbackRecordingRuntime(new FakeModelRuntime(), new OptionsHolder { Value = new RekognitionOptions { StoreRoot = _buckets, BucketsRoot = _buckets } });
        var version = new VersionRecord(7, 3, "v1", "arn:aws:rekognition:us-east-1:111111111111:project/p/version/v1/1", 1, "RUNNING", null, 1, 1, null, new ProjectVersionDetails());
        var host = new HeaderHost();
        var catalog = new RecordingCatalog();
        var metadata = new ModelPackageMetadata { Kind = ModelKind.MultiClass, Labels = { "cat" } };
        return (host, catalog, runtime.Record(host, version, metadata, catalog, new FolderBucketStore(new ConfinedDirectory(_buckets))));
    }

    private sealed class HeaderHost : IModelHost
    {
        public List<ImageInfo?> Headers { get; } = new();

        public int DesiredInferenceUnits => 1;

        public int InServiceInferenceUnits => 1;

        public ValueTask<IReadOnlyList<LabelPrediction>> DetectAsync(ReadOnlyMemory<byte> encodedImage, CancellationToken cancellationToken)
        {
            Headers.Add(null);
            return ValueTask.FromResult<IReadOnlyList<LabelPrediction>>([]);
        }

        public ValueTask<IReadOnlyList<LabelPrediction>> DetectAsync(ReadOnlyMemory<byte> encodedImage, ImageInfo header, CancellationToken cancellationToken)
        {
            Headers.Add(header);
            return ValueTask.FromResult<IReadOnlyList<LabelPrediction>>([]);
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private sealed class RecordingCatalog : IFeedbackCatalog
    {
        public List<(int Width, int Height)> Sizes { get; } = new();

        public bool IsRecording(string versionArn) => true;

        public void SetRecording(string versionArn, bool enabled) => throw new NotSupportedException();

        public long Insert(string versionArn, string sourceRef, int width, int height, bool objectLocation, long recordedMs, List<FeedbackLabel> predictions)
        {
            Sizes.Add((width, height));
            return Sizes.Count;
        }

        public FeedbackRecord? Find(long id) => throw new NotSupportedException();

        public List<FeedbackRecord> List(string versionArn, string? status) => throw new NotSupportedException();

        public bool TryReview(long id, string status, List<FeedbackLabel>? reviewed, long reviewedMs) => throw new NotSupportedException();

        public void MarkAdded(IEnumerable<long> ids, string datasetArn) => throw new NotSupportedException();
    }
}
