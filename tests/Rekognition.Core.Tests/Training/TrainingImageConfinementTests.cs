using Rekognition.Core.Model;
using Rekognition.Core.Models;
using Rekognition.Core.Tests.TestSupport;
using Rekognition.Core.Training;

namespace Rekognition.Core.Tests.Training;

/// <summary>
/// A training image replaced by a symbolic link out of the buckets root after validation (between the check and the
/// trainer's read) is not read: the trainer opens images through the job, beneath their root, and the training fails.
/// </summary>
public class TrainingImageConfinementTests
{
    /// <summary>Runs <paramref name="beforeTraining"/> when the job arrives, then trains as <see cref="AspectRatioTrainer"/> does.</summary>
    private sealed class SwappingTrainer(Action<TrainingJob> beforeTraining) : IModelTrainer
    {
        private readonly AspectRatioTrainer _inner = new();

        public Task<ModelPackage> TrainAsync(TrainingJob job, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
        {
            beforeTraining(job);
            return _inner.TrainAsync(job, progress, cancellationToken);
        }
    }

    [Test]
    public async Task AnImageSwappedForALinkOut_AfterValidation_FailsTheTraining_WithoutBeingRead()
    {
        string? outside = null;
        var trainer = new SwappingTrainer(job =>
        {
            // A wide image outside: read as a "cat", it would train; it must not be read at all.
            var image = job.TrainImages[0].Path;
            File.Delete(image);
            File.CreateSymbolicLink(image, outside!);
        });
        await using var store = new TestStore(new AspectRatioRuntime(), trainer);
        outside = Path.Combine(store.Root, "outside.png");
        File.WriteAllBytes(outside, PngBuilder.Rgb(200, 64));
        var project = await store.CreateProjectAsync("pets");
        await PetDatasets.CreateAsync(store, project, "TRAIN", "train", 4, 4);
        await PetDatasets.CreateAsync(store, project, "TEST", "test", 2, 2);

        var arn = (await store.Client.CreateProjectVersionAsync(new CreateProjectVersionRequest
        {
            ProjectArn = project,
            VersionName = "v1",
            OutputConfig = new OutputConfig { S3Bucket = "artifacts", S3KeyPrefix = "pets/" },
        })).ProjectVersionArn!;
        await store.Client.WhenIdleAsync();
        var version = (await store.Client.DescribeProjectVersionsAsync(new DescribeProjectVersionsRequest { ProjectArn = project })).ProjectVersionDescriptions.Single(v => v.ProjectVersionArn == arn);

        Assert.That(version.Status, Is.EqualTo(ProjectVersionStatus.TRAINING_FAILED));
        Assert.That(version.StatusMessage, Does.Contain("can no longer be read beneath the buckets root"));
        Assert.That(version.StatusMessage, Does.Not.Contain(store.Root), "no machine path in the message");
    }

    [Test]
    public async Task ImagesBeneathTheirRoot_AreOpenedThroughTheJob()
    {
        var opened = new List<string>();
        var trainer = new SwappingTrainer(job =>
        {
            foreach (var image in job.TrainImages)
            {
                using var stream = job.OpenImageFile(image.Path);
                Assert.That(stream.Length, Is.GreaterThan(0));
                opened.Add(image.Path);
            }
        });
        await using var store = new TestStore(new AspectRatioRuntime(), trainer);
        var project = await store.CreateProjectAsync("pets");
        await PetDatasets.CreateAsync(store, project, "TRAIN", "train", 4, 4);
        await PetDatasets.CreateAsync(store, project, "TEST", "test", 2, 2);
        await store.Client.CreateProjectVersionAsync(new CreateProjectVersionRequest
        {
            ProjectArn = project,
            VersionName = "v1",
            OutputConfig = new OutputConfig { S3Bucket = "artifacts", S3KeyPrefix = "pets/" },
        });
        await store.Client.WhenIdleAsync();
        Assert.That(opened, Has.Count.EqualTo(8));
    }
}
