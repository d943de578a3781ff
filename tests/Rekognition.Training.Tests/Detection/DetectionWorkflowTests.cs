using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Rekognition.Core;
using Rekognition.Core.Diagnostics;
using Rekognition.Core.Model;
using Rekognition.Imaging.Decoding;
using Rekognition.Samples;
using Rekognition.Tests.Telemetry;
using Rekognition.Training.Detection;
using Rekognition.Training.Trainers;

namespace Rekognition.Training.Tests.Detection;

/// <summary>The service's detection workflow through the client, on the real engines: manifest with boxes, training, evaluation, start, DetectCustomLabels.</summary>
public class DetectionWorkflowTests
{
    private string _root = null!;

    [SetUp]
    public void SetUp() => _root = Directory.CreateTempSubdirectory("rekognition-detection-flow-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_root, recursive: true);

    [Test]
    public async Task ABoxDatasetTrainsADetectorThatReturnsLabelledBoxes()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            // The engine's workflow on the small built-in detector; the default backbone has tests of its own.
            ["Rekognition:StoreRoot"] = _root, ["Rekognition:Training:Backbone"] = "none",
        }).Build();
        // The host's logging and a tracing listener, to check what training logs and which spans the workflow makes.
        var logs = new RecordingLoggerFactory();
        using var spans = new SpanRecorder();
        await using var services = new ServiceCollection()
            .AddSingleton<ILoggerFactory>(logs)
            .AddSingleton(typeof(ILogger<>), typeof(Logger<>))
            .AddRekognitionCustomLabels(configuration)
            .AddRekognitionOnnxRuntime()
            .AddRekognitionTraining(o => o.Detector = new ObjectDetectorTrainerOptions
            {
                Network = new DetectorNetworkOptions { InputSize = 128, StageWidths = new[] { 8, 16, 24, 32, 48 }, PyramidWidth = 24 },
                Epochs = 8,
            })
            .BuildServiceProvider();
        var client = services.GetRequiredService<IAmazonRekognition>();
        var buckets = services.GetRequiredService<IOptions<RekognitionOptions>>().Value.ResolvedBucketsRoot;
        var set = SyntheticDetectionDataset.Generate(Path.Combine(buckets, "shapes", "boxes"), 40, seed: 5, new SyntheticDetectionOptions
        {
            MinImageSide = 128, MaxImageSide = 160, MaxObjectsPerImage = 3, MinObjectSide = 16, SourceRefPrefix = "s3://shapes/boxes/",
        });

        var project = (await client.CreateProjectAsync(new CreateProjectRequest { ProjectName = "boxes" })).ProjectArn!;
        var manifest = new S3Object { Bucket = "shapes", Name = "boxes/" + Path.GetFileName(set.ManifestPath) };
        await client.CreateDatasetAsync(new CreateDatasetRequest
        {
            ProjectArn = project, DatasetType = DatasetType.TRAIN, DatasetSource = new DatasetSource { GroundTruthManifest = new GroundTruthManifest { S3Object = manifest } },
        });
        await client.CreateDatasetAsync(new CreateDatasetRequest { ProjectArn = project, DatasetType = DatasetType.TEST });
        var datasets = await WaitForDatasetsAsync(client, project);
        await client.DistributeDatasetEntriesAsync(new DistributeDatasetEntriesRequest { Datasets = { new DistributeDataset { Arn = datasets[0] }, new DistributeDataset { Arn = datasets[1] } } });
        await WaitForDatasetsAsync(client, project);

        var version = (await client.CreateProjectVersionAsync(new CreateProjectVersionRequest
        {
            ProjectArn = project, VersionName = "v1", OutputConfig = new OutputConfig { S3Bucket = "shapes", S3KeyPrefix = "models/" },
        })).ProjectVersionArn!;
        var trained = await WaitForVersionAsync(client, project, s => s != ProjectVersionStatus.TRAINING_IN_PROGRESS);
        Assert.That(trained.Status, Is.EqualTo(ProjectVersionStatus.TRAINING_COMPLETED), trained.StatusMessage);
        Assert.That(trained.EvaluationResult?.F1Score, Is.Not.Null.And.GreaterThanOrEqualTo(0f));
        Assert.That(trained.EvaluationResult!.Summary?.S3Object, Is.Not.Null, "the evaluation summary file is written");

        await client.StartProjectVersionAsync(new StartProjectVersionRequest { ProjectVersionArn = version, MinInferenceUnits = 1 });
        var running = await WaitForVersionAsync(client, project, s => s != ProjectVersionStatus.STARTING);
        Assert.That(running.Status, Is.EqualTo(ProjectVersionStatus.RUNNING), running.StatusMessage);

        var image = set.Images.First(i => i.Objects.Count > 0);
        var found = await client.DetectCustomLabelsAsync(new DetectCustomLabelsRequest
        {
            ProjectVersionArn = version, Image = new Image { Bytes = new MemoryStream(File.ReadAllBytes(image.Path)) }, MinConfidence = 0,
        });
        Assert.That(found.CustomLabels, Is.Not.Empty);
        Assert.That(found.CustomLabels.Select(l => l.Name).Distinct(), Is.SubsetOf(SyntheticDetectionDataset.ClassNames));
        foreach (var label in found.CustomLabels)
        {
            var box = label.Geometry!.BoundingBox!;
            Assert.That(new[] { box.Left!.Value, box.Top!.Value, box.Width!.Value, box.Height!.Value }, Has.All.InRange(0f, 1f));
            Assert.That(label.Confidence, Is.InRange(0f, 100f));
        }

        Assert.That(found.CustomLabels.Select(l => l.Confidence), Is.Ordered.Descending);
        await client.StopProjectVersionAsync(new StopProjectVersionRequest { ProjectVersionArn = version });

        CheckTrainingLogs(logs, services.GetRequiredService<IImageDecoder>(), epochs: 8);
        CheckSpans(spans, project, datasets[0], version, images: set.Images.Count(i => i.Objects.Count > 0));
    }

    /// <summary>Training logged through the host's logger: start (with the decoder serving uses), every epoch, export, end.</summary>
    private static void CheckTrainingLogs(RecordingLoggerFactory logs, IImageDecoder servingDecoder, int epochs)
    {
        var training = logs.Entries.Where(e => e.Category == typeof(ModelTrainer).FullName).ToList();
        var started = training.Single(e => e.Id.Id == 1);
        Assert.That(started.Id.Name, Is.EqualTo("Started"));
        Assert.That(started.Message, Does.Contain(servingDecoder.GetType().FullName), "training decodes with the decoder DI gives serving");
        Assert.That(training.Count(e => e.Id.Id == 3), Is.EqualTo(epochs), "one entry per epoch");
        Assert.That(training.Select(e => e.Id.Id), Does.Contain(7).And.Contain(2));
        Assert.That(training.Select(e => e.Id.Id).ToList().IndexOf(2), Is.EqualTo(training.Count - 1), "the end is logged last");
    }

    /// <summary>Import, training, evaluation and detect each made one span, tagged with their ARNs and image counts (of <paramref name="images"/> with boxes).</summary>
    private static void CheckSpans(SpanRecorder spans, string project, string trainDataset, string version, int images)
    {
        var import = spans.Single("ImportDataset", RekognitionTelemetry.DatasetArnTag, trainDataset);
        Assert.That(import.GetTagItem(RekognitionTelemetry.ImageCountTag), Is.EqualTo(images), "the manifest's lines with boxes");

        var training = spans.Single("TrainProjectVersion", RekognitionTelemetry.ProjectVersionArnTag, version);
        Assert.That(training.GetTagItem(RekognitionTelemetry.ProjectArnTag), Is.EqualTo(project));
        Assert.That((int)training.GetTagItem(RekognitionTelemetry.ImageCountTag)!, Is.InRange(1, images - 1), "the training split of the distributed images");

        var evaluation = spans.Single("EvaluateProjectVersion", RekognitionTelemetry.ProjectVersionArnTag, version);
        Assert.That(evaluation.ParentSpanId, Is.EqualTo(training.SpanId), "evaluation runs inside the training");
        Assert.That((int)evaluation.GetTagItem(RekognitionTelemetry.ImageCountTag)! + (int)training.GetTagItem(RekognitionTelemetry.ImageCountTag)!, Is.EqualTo(images));

        var detect = spans.Single("DetectCustomLabels", RekognitionTelemetry.ProjectVersionArnTag, version);
        Assert.That(detect.GetTagItem(RekognitionTelemetry.ImageCountTag), Is.EqualTo(1));
    }

    private static async Task<List<string>> WaitForDatasetsAsync(IAmazonRekognition client, string project)
    {
        for (var i = 0; i < 600; i++)
        {
            var description = (await client.DescribeProjectsAsync(new DescribeProjectsRequest())).ProjectDescriptions.Single(p => p.ProjectArn == project);
            var arns = description.Datasets.OrderBy(d => d.DatasetType!.Value == "TRAIN" ? 0 : 1).Select(d => d.DatasetArn!).ToList();
            var statuses = new List<string>();
            foreach (var arn in arns)
            {
                statuses.Add((await client.DescribeDatasetAsync(new DescribeDatasetRequest { DatasetArn = arn })).DatasetDescription!.Status!.Value);
            }

            if (statuses.All(s => s.EndsWith("COMPLETE", StringComparison.Ordinal)))
            {
                return arns;
            }

            Assert.That(statuses, Has.None.EndsWith("FAILED"));
            await Task.Delay(100);
        }

        throw new TimeoutException("The datasets did not finish.");
    }

    private static async Task<ProjectVersionDescription> WaitForVersionAsync(IAmazonRekognition client, string project, Func<ProjectVersionStatus, bool> done)
    {
        for (var i = 0; i < 3000; i++)
        {
            var version = (await client.DescribeProjectVersionsAsync(new DescribeProjectVersionsRequest { ProjectArn = project })).ProjectVersionDescriptions.Single();
            if (done(version.Status!))
            {
                return version;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("The version did not change status.");
    }
}
