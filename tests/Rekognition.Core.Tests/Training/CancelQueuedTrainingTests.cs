using Microsoft.Extensions.DependencyInjection;
using Rekognition.Core.Catalog;
using Rekognition.Core.Model;
using Rekognition.Core.Tests.TestSupport;

namespace Rekognition.Core.Tests.Training;

/// <summary>
/// CancelTraining on a training no host has claimed yet (none has the train role here) stops it at once: the version
/// is TRAINING_FAILED as a stopped running training is, and its job is gone, so no host starts it later.
/// </summary>
public class CancelQueuedTrainingTests
{
    [Test]
    public async Task CancelTraining_OfAQueuedTraining_StopsItAtOnce()
    {
        var trainer = new AspectRatioTrainer();
        await using var store = new TestStore(new AspectRatioRuntime(), trainer, o => o.Host.Roles = "api,import");
        var project = await store.CreateProjectAsync("pets");
        await PetDatasets.CreateAsync(store, project, "TRAIN", "train", 4, 4);
        await PetDatasets.CreateAsync(store, project, "TEST", "test", 2, 2);
        var arn = (await store.Client.CreateProjectVersionAsync(new CreateProjectVersionRequest
        {
            ProjectArn = project,
            VersionName = "v1",
            OutputConfig = new OutputConfig { S3Bucket = "artifacts", S3KeyPrefix = "pets/" },
        })).ProjectVersionArn!;
        var jobs = store.Services.GetRequiredService<ICatalog>().Jobs;
        Assert.That(jobs.ForResource(arn).Single().Owner, Is.Null, "queued: no host may train");

        Assert.That(store.Training.CancelTraining(arn), Is.True);

        var version = (await store.Client.DescribeProjectVersionsAsync(new DescribeProjectVersionsRequest { ProjectArn = project })).ProjectVersionDescriptions.Single();
        Assert.Multiple(() =>
        {
            Assert.That(version.Status, Is.EqualTo(ProjectVersionStatus.TRAINING_FAILED), "at once, with no host's lease renewal to wait for");
            Assert.That(version.StatusMessage, Does.StartWith("Training was stopped"));
            Assert.That(version.TrainingEndTimestamp, Is.Not.Null);
            Assert.That(jobs.ForResource(arn), Is.Empty, "no host will claim it later");
            Assert.That(store.Training.CancelTraining(arn), Is.False, "nothing left to stop");
        });

        // A host with the train role joining afterwards finds nothing to run.
        store.Options.Host.Roles = "train";
        await using var trainHost = store.BuildServices();
        await trainHost.GetRequiredService<RekognitionCustomLabelsClient>().WhenIdleAsync();
        Assert.That(trainer.Jobs, Is.Empty);
    }
}
