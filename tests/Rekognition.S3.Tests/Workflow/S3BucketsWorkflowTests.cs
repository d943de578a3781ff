using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Rekognition.Core.Feedback;
using Rekognition.Core.Model;
using Rekognition.Core.Storage;
using Rekognition.Core.Tests.Management;
using Rekognition.Core.Tests.TestSupport;
using Rekognition.S3.Tests.TestSupport;

namespace Rekognition.S3.Tests.Workflow;

/// <summary>
/// The whole workflow on S3 alone (Artifacts=S3, Buckets=S3): the manifest and its images in one bucket, the
/// evaluation in the output bucket, the model in the artifacts bucket, DetectCustomLabels on an S3Object.
/// </summary>
public class S3BucketsWorkflowTests
{
    private string _artifacts = null!;
    private string _media = null!;
    private string _output = null!;

    [SetUp]
    public async Task SetUp()
    {
        _artifacts = await S3TestServer.CreateBucketAsync("artifacts");
        _media = await S3TestServer.CreateBucketAsync("media");
        _output = await S3TestServer.CreateBucketAsync("output");
    }

    [Test]
    public async Task ImportTrainEvaluateDetect_AllThroughS3()
    {
        await using var store = Store();
        var project = await store.CreateProjectAsync("pets");
        var train = await CreateDatasetAsync(store, project, "TRAIN", await S3Pets.UploadAsync(_media, "train", 8, 8));
        Assert.That(train.DatasetStats!.TotalEntries, Is.EqualTo(16));
        Assert.That(train.DatasetStats.ErrorEntries, Is.Zero, "every image was read (its header probed) from S3");
        await CreateDatasetAsync(store, project, "TEST", await S3Pets.UploadAsync(_media, "test", 3, 3));

        var version = await TrainAsync(store, project, _output);
        Assert.That(version.Status, Is.EqualTo(ProjectVersionStatus.TRAINING_COMPLETED), version.StatusMessage);

        // The evaluation summary is in the output bucket, under the name the version gives, and says what the version says.
        var summary = version.EvaluationResult!.Summary!.S3Object!;
        Assert.That(summary.Bucket, Is.EqualTo(_output));
        var summaryBytes = await S3TestServer.GetAsync(_output, summary.Name!);
        Assert.That(summaryBytes, Is.Not.Null, $"s3://{_output}/{summary.Name} is missing");
        using (var json = JsonDocument.Parse(summaryBytes!))
        {
            var f1 = json.RootElement.GetProperty("AggregatedEvaluationResults").GetProperty("Metrics").GetProperty("F1Score").GetDouble();
            Assert.That(f1, Is.EqualTo(version.EvaluationResult.F1Score!.Value).Within(1e-4));
        }

        Assert.That(await S3TestServer.KeysAsync(_output, "pets/v1/"), Does.Contain("pets/v1/manifest_summary.json"));
        Assert.That(Directory.Exists(store.Options.ResolvedBucketsRoot) && Directory.EnumerateFiles(store.Options.ResolvedBucketsRoot, "*", SearchOption.AllDirectories).Any(),
            Is.False, "nothing was read from or written to the local buckets folder");
        var package = store.ArtifactKey(version.ProjectVersionArn!);
        Assert.That(await S3TestServer.GetAsync(_artifacts, $"stores/test/{package}/model.onnx"), Is.Not.Null);

        await TrainedModels.StartAsync(store, project, version.ProjectVersionArn!);
        await S3TestServer.PutAsync(_media, "ask/wide.png", PngBuilder.Rgb(220, 90));
        var detected = await store.Client.DetectCustomLabelsAsync(new DetectCustomLabelsRequest
        {
            ProjectVersionArn = version.ProjectVersionArn,
            Image = new Image { S3Object = new S3Object { Bucket = _media, Name = "ask/wide.png" } },
            MinConfidence = 0,
        });
        Assert.That(detected.CustomLabels.OrderByDescending(l => l.Confidence).First().Name, Is.EqualTo("cat"));
    }

    [Test]
    public async Task AMissingManifestOrBucket_AnswersInvalidS3Object()
    {
        await using var store = Store();
        var project = await store.CreateProjectAsync("pets");
        foreach (var (bucket, key) in new[] { (_media, "none.manifest"), ("no-such-bucket-" + Guid.NewGuid().ToString("N")[..8], "train.manifest") })
        {
            var failure = Assert.ThrowsAsync<InvalidS3ObjectException>(() => store.Client.CreateDatasetAsync(new CreateDatasetRequest
            {
                ProjectArn = project,
                DatasetType = DatasetType.TRAIN,
                DatasetSource = new DatasetSource { GroundTruthManifest = new GroundTruthManifest { S3Object = new S3Object { Bucket = bucket, Name = key } } },
            }));
            Assert.That(failure!.Message, Does.Contain($"s3://{bucket}/{key}").And.Not.Contain(store.Root));
        }
    }

    [Test]
    public async Task ABucketThatDeniesAccess_AnswersInvalidS3Object_ForItsManifest()
    {
        var manifest = await S3Pets.UploadAsync(_media, "train", 2, 2);
        await using var store = new TestStore(new AspectRatioRuntime(), new AspectRatioTrainer(), o => S3TestServer.Configure(o, _artifacts, buckets: true), services =>
        {
            // The artifacts with good credentials; the buckets with credentials the server refuses.
            services.AddKeyedSingleton<IBucketStore>(StorageProviderKeys.S3, new Rekognition.S3.Buckets.S3BucketStore(
                Rekognition.S3.Tests.Buckets.S3BucketStoreTests.RefusedClient(), chunkEncoding: false, S3TestServer.Url));
            services.AddRekognitionS3();
        });
        var project = await store.CreateProjectAsync("pets");

        var failure = Assert.ThrowsAsync<InvalidS3ObjectException>(() => store.Client.CreateDatasetAsync(new CreateDatasetRequest
        {
            ProjectArn = project,
            DatasetType = DatasetType.TRAIN,
            DatasetSource = new DatasetSource { GroundTruthManifest = new GroundTruthManifest { S3Object = new S3Object { Bucket = _media, Name = manifest } } },
        }));
        Assert.That(failure!.Message, Does.Contain("access permissions"));
    }

    [Test]
    public async Task AnImageMissingFromItsBucket_IsAnEntryError_AndTheRestImport()
    {
        await using var store = Store();
        var project = await store.CreateProjectAsync("pets");
        var manifest = await S3Pets.UploadAsync(_media, "train", 4, 4);
        using (var client = S3TestServer.Client())
        {
            await client.DeleteObjectAsync(_media, "train/cat0.png");
        }

        var dataset = await CreateDatasetAsync(store, project, "TRAIN", manifest);
        Assert.That(dataset.DatasetStats!.TotalEntries, Is.EqualTo(8));
        Assert.That(dataset.DatasetStats.ErrorEntries, Is.EqualTo(1));
    }

    [Test]
    public async Task DetectOnAMissingS3Object_AnswersInvalidS3Object()
    {
        await using var store = Store();
        var project = await PetsProjectAsync(store);
        var version = await TrainAsync(store, project, _output);
        await TrainedModels.StartAsync(store, project, version.ProjectVersionArn!);

        Assert.ThrowsAsync<InvalidS3ObjectException>(() => store.Client.DetectCustomLabelsAsync(new DetectCustomLabelsRequest
        {
            ProjectVersionArn = version.ProjectVersionArn,
            Image = new Image { S3Object = new S3Object { Bucket = _media, Name = "ask/none.png" } },
        }));
    }

    [Test]
    public async Task DetectOnAnS3Object_LooksAtTheModelFirst_ThenReadsTheKeyAsSpelt_WithinTheSizeLimit()
    {
        await using var store = Store();
        var project = await PetsProjectAsync(store);
        var version = await TrainAsync(store, project, _output);
        DetectCustomLabelsRequest Ask(string arn, string key) => new()
        {
            ProjectVersionArn = arn,
            Image = new Image { S3Object = new S3Object { Bucket = _media, Name = key } },
            MinConfidence = 0,
        };

        // The object is missing too: the model's state is what the caller hears, and nothing is fetched for a model that cannot answer.
        Assert.ThrowsAsync<ResourceNotReadyException>(() => store.Client.DetectCustomLabelsAsync(Ask(version.ProjectVersionArn!, "ask/none.png")));
        var unknown = version.ProjectVersionArn![..version.ProjectVersionArn!.IndexOf("/version/", StringComparison.Ordinal)] + "/version/none/1";
        Assert.ThrowsAsync<ResourceNotFoundException>(() => store.Client.DetectCustomLabelsAsync(Ask(unknown, "ask/none.png")));

        await TrainedModels.StartAsync(store, project, version.ProjectVersionArn!);
        // A tall (dog) image under a key with a trailing '/', a wide (cat) one under the key it tidies into: the key as spelt is read.
        await S3TestServer.PutAsync(_media, "ask/pet.png", PngBuilder.Rgb(220, 90));
        await S3TestServer.PutAsync(_media, "ask/pet.png/", PngBuilder.Rgb(90, 220));
        var cat = await store.Client.DetectCustomLabelsAsync(Ask(version.ProjectVersionArn!, "ask/pet.png"));
        Assert.That(cat.CustomLabels.OrderByDescending(l => l.Confidence).First().Name, Is.EqualTo("cat"));
        var dog = await store.Client.DetectCustomLabelsAsync(Ask(version.ProjectVersionArn!, "ask/pet.png/"));
        Assert.That(dog.CustomLabels.OrderByDescending(l => l.Confidence).First().Name, Is.EqualTo("dog"));

        await S3TestServer.PutAsync(_media, "ask/huge.png", new byte[(15 * 1024 * 1024) + 1]);
        var tooLarge = Assert.ThrowsAsync<ImageTooLargeException>(() => store.Client.DetectCustomLabelsAsync(Ask(version.ProjectVersionArn!, "ask/huge.png")));
        Assert.That(tooLarge!.Message, Does.Contain("15 MB"));
    }

    [Test]
    public async Task FeedbackRecording_WritesItsImagesToS3_AndTheReviewedOnesIntoTheDatasetsBucket()
    {
        var options = new OptionsHolder();
        await using var store = new TestStore(new FeedbackRecordingRuntime(new AspectRatioRuntime(), options), new AspectRatioTrainer(),
            o =>
            {
                S3TestServer.Configure(o, _artifacts, buckets: true);
                options.Value = o;
            },
            s => s.AddRekognitionS3());
        await S3TestServer.EnsureBucketAsync(FeedbackRecordingRuntime.FeedbackBucket);
        var project = await PetsProjectAsync(store);
        var version = (await TrainAsync(store, project, _output)).ProjectVersionArn!;
        await TrainedModels.StartAsync(store, project, version);
        await store.Feedback.SetFeedbackRecordingAsync(version, enabled: true);

        var image = PngBuilder.Rgb(200, 70);
        await store.Client.DetectCustomLabelsAsync(new DetectCustomLabelsRequest { ProjectVersionArn = version, Image = new Image { Bytes = new MemoryStream(image) } });

        var recorded = (await store.Feedback.ListFeedbackAsync(version)).Single();
        var key = recorded.ImageSourceRef[$"s3://{FeedbackRecordingRuntime.FeedbackBucket}/".Length..];
        Assert.That(await S3TestServer.GetAsync(FeedbackRecordingRuntime.FeedbackBucket, key), Is.EqualTo(image), "the recorded image is in S3");

        await store.Feedback.AcceptFeedbackAsync(recorded.Id);
        var train = await TrainedModels.DatasetArnAsync(store, project);
        Assert.That(await store.Feedback.AddReviewedFeedbackToDatasetAsync(version, train), Is.EqualTo(1));
        Assert.That(await S3TestServer.GetAsync(_media, $"{FeedbackRecordingRuntime.FeedbackBucket}/{key}"), Is.EqualTo(image), "copied into the dataset's bucket");
        Assert.That(Directory.Exists(store.Options.ResolvedBucketsRoot) && Directory.EnumerateFiles(store.Options.ResolvedBucketsRoot, "*", SearchOption.AllDirectories).Any(),
            Is.False, "nothing was written to the local buckets folder");
    }

    [Test]
    public async Task AMissingOutputBucket_FailsTheVersion_WithTheServicesMessage_AndNoModelIsKept()
    {
        await using var store = Store();
        var project = await PetsProjectAsync(store);

        var version = await TrainAsync(store, project, "no-such-output-" + Guid.NewGuid().ToString("N")[..8]);

        Assert.That(version.Status, Is.EqualTo(ProjectVersionStatus.TRAINING_FAILED));
        Assert.That(version.StatusMessage, Does.Contain("Unable to write to output S3 bucket"));
        Assert.That(await S3TestServer.KeysAsync(_artifacts, "stores/test/models/"), Is.Empty, "no model package");
    }

    [Test]
    public async Task AnArtifactWriteThatFails_LeavesTheVersionFailed_AndNoPartialModel()
    {
        // The artifacts store refuses the package's metadata (written after its ONNX file), as a dropped connection would.
        await using var store = new TestStore(new AspectRatioRuntime(), new AspectRatioTrainer(), o => S3TestServer.Configure(o, _artifacts, buckets: true), services =>
        {
            services.AddKeyedSingleton<IObjectStore>(StorageProviderKeys.S3, (sp, _) =>
            {
                var options = sp.GetRequiredService<Rekognition.Core.RekognitionOptions>();
                return new FailingPuts(new Rekognition.S3.Objects.S3ObjectStore(
                    S3TestServer.Client(), _artifacts, options.Artifacts.Prefix, chunkEncoding: false, sp.GetRequiredService<LocalFileCache>(), S3TestServer.Url), "model.json");
            });
            services.AddRekognitionS3();
        });
        var project = await PetsProjectAsync(store);

        var version = await TrainAsync(store, project, _output);

        Assert.That(version.Status, Is.EqualTo(ProjectVersionStatus.TRAINING_FAILED));
        Assert.That(version.StatusMessage, Does.Contain("the connection was reset"));
        Assert.That(await S3TestServer.KeysAsync(_artifacts, "stores/test/models/"), Is.Empty, "the model's ONNX file, written first, is gone too");
        Assert.That(version.EvaluationResult, Is.Null);
        Assert.ThrowsAsync<InvalidParameterException>(() => store.Client.StartProjectVersionAsync(new StartProjectVersionRequest { ProjectVersionArn = version.ProjectVersionArn, MinInferenceUnits = 1 }));
    }

    /// <summary>A project with TRAIN (8 cats, 8 dogs) and TEST (3 and 3) datasets imported from the media bucket.</summary>
    private async Task<string> PetsProjectAsync(TestStore store)
    {
        var project = await store.CreateProjectAsync("pets");
        await CreateDatasetAsync(store, project, "TRAIN", await S3Pets.UploadAsync(_media, "train", 8, 8));
        await CreateDatasetAsync(store, project, "TEST", await S3Pets.UploadAsync(_media, "test", 3, 3));
        return project;
    }

    private TestStore Store() =>
        new(new AspectRatioRuntime(), new AspectRatioTrainer(), o => S3TestServer.Configure(o, _artifacts, buckets: true), s => s.AddRekognitionS3());

    private async Task<DatasetDescription> CreateDatasetAsync(TestStore store, string project, string type, string manifest)
    {
        var arn = (await store.Client.CreateDatasetAsync(new CreateDatasetRequest
        {
            ProjectArn = project,
            DatasetType = type,
            DatasetSource = new DatasetSource { GroundTruthManifest = new GroundTruthManifest { S3Object = new S3Object { Bucket = _media, Name = manifest } } },
        })).DatasetArn!;
        var description = await store.WaitForDatasetAsync(arn);
        Assert.That(description.Status, Is.EqualTo(DatasetStatus.CREATE_COMPLETE), description.StatusMessage);
        return description;
    }

    private static async Task<ProjectVersionDescription> TrainAsync(TestStore store, string project, string outputBucket)
    {
        var arn = (await store.Client.CreateProjectVersionAsync(new CreateProjectVersionRequest
        {
            ProjectArn = project,
            VersionName = "v1",
            OutputConfig = new OutputConfig { S3Bucket = outputBucket, S3KeyPrefix = "pets/" },
        })).ProjectVersionArn!;
        return await TrainedModels.DescribeAsync(store, project, arn);
    }

    /// <summary>An object store whose puts of keys ending with <paramref name="failingName"/> fail.</summary>
    private sealed class FailingPuts(IObjectStore inner, string failingName) : ForwardingObjectStore(inner)
    {
        public override Task PutAsync(string key, Func<Stream, Task> write, CancellationToken cancellationToken = default) =>
            key.EndsWith("/" + failingName, StringComparison.Ordinal)
                ? throw new IOException("the connection was reset")
                : base.PutAsync(key, write, cancellationToken);
    }
}
