using Microsoft.Extensions.DependencyInjection;
using Rekognition.Core.Model;
using Rekognition.Core.Tests.TestSupport;

namespace Rekognition.Core.Tests.Training;

/// <summary>
/// CancelTraining reaches a training wherever it runs: asked on a host that only answers (role api), it is recorded in
/// the catalog, and the host running the training stops it at its next lease renewal.
/// </summary>
public class CancelTrainingAcrossHostsTests
{
    [Test]
    public async Task CancelTrainingOnAnApiHost_StopsTheTrainingOnTheTrainHost()
    {
        var trainer = new AspectRatioTrainer { Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        await using var store = new TestStore(new AspectRatioRuntime(), trainer, o =>
        {
            o.Host.Id = "api-host";
            o.Host.Roles = "api,import";
            o.Host.LeaseDuration = TimeSpan.FromSeconds(1.5);
            o.Host.PollInterval = TimeSpan.FromMilliseconds(100);
        });
        var project = await store.CreateProjectAsync("pets");
        await PetDatasets.CreateAsync(store, project, "TRAIN", "train", 6, 6);
        await PetDatasets.CreateAsync(store, project, "TEST", "test", 3, 3);

        // A second client on the same catalog, as another process would be, that only trains.
        store.Options.Host.Id = "train-host";
        store.Options.Host.Roles = "train";
        await using var trainHost = store.BuildServices();
        var trainClient = trainHost.GetRequiredService<RekognitionCustomLabelsClient>(); // its job runner takes the roles now
        store.Options.Host.Id = "api-host";
        store.Options.Host.Roles = "api,import";

        var arn = (await store.Client.CreateProjectVersionAsync(new CreateProjectVersionRequest
        {
            ProjectArn = project,
            VersionName = "v1",
            OutputConfig = new OutputConfig { S3Bucket = "artifacts", S3KeyPrefix = "pets/" },
        })).ProjectVersionArn!;
        for (var i = 0; i < 500 && trainer.Jobs.Count == 0; i++)
        {
            await Task.Delay(20);
        }

        Assert.That(trainer.Jobs, Has.Count.EqualTo(1), "the train host runs the training");
        Assert.That(store.Training.CancelTraining(arn), Is.True, "recorded for the host that runs it");

        ProjectVersionDescription version;
        var waited = System.Diagnostics.Stopwatch.StartNew();
        do
        {
            await Task.Delay(50);
            version = (await store.Client.DescribeProjectVersionsAsync(new DescribeProjectVersionsRequest { ProjectArn = project })).ProjectVersionDescriptions.Single();
        }
        while (version.Status == ProjectVersionStatus.TRAINING_IN_PROGRESS && waited.Elapsed < TimeSpan.FromSeconds(30));

        Assert.Multiple(() =>
        {
            Assert.That(version.Status, Is.EqualTo(ProjectVersionStatus.TRAINING_FAILED), version.StatusMessage);
            Assert.That(version.StatusMessage, Does.StartWith("Training was stopped"));
            Assert.That(waited.Elapsed, Is.LessThan(TimeSpan.FromSeconds(10)), "stopped at a lease renewal (every half second here), not at the lease's end");
        });
        await trainClient.WhenIdleAsync();
        Assert.That(store.Training.CancelTraining(arn), Is.False, "nothing left to stop");
    }
}
