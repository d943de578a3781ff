using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Rekognition.Core.Inference;
using Rekognition.Core.Model;
using Rekognition.Core.Models;
using Rekognition.Core.Tests.TestSupport;
using Rekognition.Core.Training;

namespace Rekognition.Core.Tests.Training;

public class TrainingResumeTests
{
    private static readonly OutputConfig Output = new() { S3Bucket = "artifacts", S3KeyPrefix = "pets/" };

    /// <summary>
    /// A trainer that checkpoints: it counts two epochs, writing the epoch done into its checkpoint file after each,
    /// goes on from the epoch a checkpoint holds, waits at <see cref="Gate"/> when set, then trains the aspect-ratio
    /// model and removes its checkpoint.
    /// </summary>
    private sealed class CheckpointingTrainer : IModelTrainer
    {
        private readonly AspectRatioTrainer _inner = new();

        public List<TrainingJob> Jobs { get; } = new();

        public List<int> ResumedFrom { get; } = new();

        public TaskCompletionSource? Gate { get; set; }

        public async Task<ModelPackage> TrainAsync(TrainingJob job, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
        {
            Jobs.Add(job);
            var checkpoint = Path.Combine(job.CheckpointDirectory, TrainingJob.CheckpointFileName);
            var start = File.Exists(checkpoint) ? int.Parse(File.ReadAllText(checkpoint), System.Globalization.CultureInfo.InvariantCulture) : 0;
            ResumedFrom.Add(start);
            for (var epoch = start + 1; epoch <= 2; epoch++)
            {
                progress?.Report(new TrainingProgress(epoch, 2, 1f / epoch, TimeSpan.FromMilliseconds(epoch), null));
                Directory.CreateDirectory(job.CheckpointDirectory);
                await File.WriteAllTextAsync(checkpoint, epoch.ToString(System.Globalization.CultureInfo.InvariantCulture), cancellationToken);
            }

            if (Gate is { } gate)
            {
                await gate.Task.WaitAsync(cancellationToken);
            }

            var package = await _inner.TrainAsync(job, null, cancellationToken);
            Directory.Delete(job.CheckpointDirectory, recursive: true);
            return package;
        }
    }

    private static async Task<(TestStore Store, CheckpointingTrainer Trainer, string Project)> ProjectAsync()
    {
        var trainer = new CheckpointingTrainer();
        var store = new TestStore(new AspectRatioRuntime(), trainer);
        var project = await store.CreateProjectAsync("pets");
        await PetDatasets.CreateAsync(store, project, "TRAIN", "train", 8, 8);
        await PetDatasets.CreateAsync(store, project, "TEST", "test", 3, 3);
        return (store, trainer, project);
    }

    private static async Task<ProjectVersionDescription> DescribeAsync(TestStore store, string project, string arn)
    {
        var all = await store.Client.DescribeProjectVersionsAsync(new DescribeProjectVersionsRequest { ProjectArn = project });
        return all.ProjectVersionDescriptions.Single(v => v.ProjectVersionArn == arn);
    }

    /// <summary>
    /// Starts a training, waits until its trainer has checkpointed two epochs, and leaves what a process killed there
    /// leaves: the row TRAINING_IN_PROGRESS owned by a dead process, with <paramref name="elapsedMs"/> recorded, and
    /// (when <paramref name="keepCheckpoint"/>) the checkpoint on disk. Returns the version and the checkpoint's folder.
    /// </summary>
    private static async Task<(string Arn, string CheckpointDirectory)> CrashMidTrainingAsync(TestStore store, CheckpointingTrainer trainer, string project, bool keepCheckpoint, long elapsedMs)
    {
        trainer.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var arn = (await store.Client.CreateProjectVersionAsync(new CreateProjectVersionRequest { ProjectArn = project, VersionName = "v1", OutputConfig = Output })).ProjectVersionArn!;
        // The checkpoint as the store keeps it (mirrored from the trainer's local folder), which another host resumes from.
        string? file = null;
        var training = Path.Combine(store.Options.StoreRoot, "training");
        for (var i = 0; i < 1000 && (file is null || !File.Exists(file) || File.ReadAllText(file) != "2"); i++)
        {
            await Task.Delay(10);
            file = Directory.Exists(training) ? Directory.EnumerateFiles(training, TrainingJob.CheckpointFileName, SearchOption.AllDirectories).FirstOrDefault() : null;
        }

        Assert.That(file, Is.Not.Null.And.Matches<string>(File.Exists), "the trainer's checkpoint reached the store");
        var left = File.ReadAllBytes(file!);
        trainer.Gate = null;

        // This process cannot die in a test: the client is closed (which fails the training and clears its checkpoint),
        // then the store is put back as a killed host leaves it. It stays closed until the caller reopens it: a live
        // job runner would take the lapsed job over while the store is still being put back.
        await store.CloseAsync();
        if (keepCheckpoint)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(file!)!);
            File.WriteAllBytes(file!, left);
        }

        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(store.Options.StoreRoot, "catalog.db")}"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText =
                """
                UPDATE project_versions SET status = 'TRAINING_IN_PROGRESS', status_message = 'The model is being trained. Epoch 2 of 2, loss 0.5.',
                details = json_remove(json_set(details, '$.TrainingElapsedMs', $ms), '$.BillableTrainingTimeInSeconds')
                WHERE arn = $arn
                """;
            command.Parameters.AddWithValue("$arn", arn);
            command.Parameters.AddWithValue("$ms", elapsedMs);
            Assert.That(command.ExecuteNonQuery(), Is.EqualTo(1));
            // Its job, held by the host that died, under a lease that has lapsed.
            command.CommandText = "DELETE FROM jobs WHERE resource_arn = $arn"; // a job never claimed before the close
            command.ExecuteNonQuery();
            command.CommandText = "INSERT INTO jobs (kind, resource_arn, payload, owner, lease_until_ms, attempts, created_ms) VALUES ('Train', $arn, '{}', 'a-host-that-died', 1, 1, 1)";
            Assert.That(command.ExecuteNonQuery(), Is.EqualTo(1));
        }

        return (arn, Path.GetDirectoryName(file!)!);
    }

    [Test]
    public async Task TrainingLeftWithACheckpoint_ResumesWhenTheStoreOpensAndCompletes()
    {
        var (store, trainer, project) = await ProjectAsync();
        await using var _ = store;
        var (arn, checkpointDirectory) = await CrashMidTrainingAsync(store, trainer, project, keepCheckpoint: true, elapsedMs: 90_000);

        await store.ReopenAsync();
        await store.Client.WhenIdleAsync();
        var version = await DescribeAsync(store, project, arn);

        Assert.Multiple(() =>
        {
            Assert.That(version.Status, Is.EqualTo(ProjectVersionStatus.TRAINING_COMPLETED), version.StatusMessage);
            Assert.That(version.StatusMessage, Is.EqualTo("The model is ready to run."));
            Assert.That(trainer.ResumedFrom, Is.EqualTo(new[] { 0, 2 }), "the second run went on from the checkpoint's epoch");
            Assert.That(trainer.Jobs[1].OutputDirectory, Is.EqualTo(trainer.Jobs[0].OutputDirectory));
            Assert.That(trainer.Jobs[1].TrainImages.Select(i => i.Path), Is.EqualTo(trainer.Jobs[0].TrainImages.Select(i => i.Path)));
            Assert.That(trainer.Jobs[1].Labels, Is.EqualTo(trainer.Jobs[0].Labels));
            Assert.That(version.BillableTrainingTimeInSeconds, Is.InRange(90, 150), "the time before the crash counts, once");
            Assert.That(version.EvaluationResult!.F1Score, Is.EqualTo(1f));
            Assert.That(Directory.Exists(checkpointDirectory), Is.False, "the stored checkpoint is cleared once trained");
            Assert.That(Directory.Exists(trainer.Jobs[1].CheckpointDirectory), Is.False, "so is the trainer's local scratch folder");
        });
    }

    [Test]
    public async Task TrainingLeftWithACheckpoint_ResumesWhenTheHostStarts_WithoutAnyRequest()
    {
        var (store, trainer, project) = await ProjectAsync();
        await using var _ = store;
        var (arn, _) = await CrashMidTrainingAsync(store, trainer, project, keepCheckpoint: true, elapsedMs: 1000);

        // A host over the same store, as an application registers it; nothing asks its client anything.
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddSingleton<IModelRuntime>(new AspectRatioRuntime()).AddSingleton<IModelTrainer>(trainer)
            .AddRekognitionCustomLabels(o =>
            {
                o.StoreRoot = store.Options.StoreRoot;
                o.BucketsRoot = store.Options.BucketsRoot;
                o.AccountId = store.Options.AccountId;
                o.Region = store.Options.Region;
            });
        using var host = builder.Build();
        await host.StartAsync();
        // The test reads through a client of its own that only answers (role api), so only the host can take the job.
        store.Options.Host.Roles = "api";
        await store.ReopenAsync();
        for (var i = 0; i < 1000 && (await DescribeAsync(store, project, arn)).Status == ProjectVersionStatus.TRAINING_IN_PROGRESS; i++)
        {
            await Task.Delay(10);
        }

        var version = await DescribeAsync(store, project, arn);
        await host.StopAsync();
        Assert.Multiple(() =>
        {
            Assert.That(version.Status, Is.EqualTo(ProjectVersionStatus.TRAINING_COMPLETED), version.StatusMessage);
            Assert.That(trainer.ResumedFrom, Is.EqualTo(new[] { 0, 2 }), "the host's start-up resumed the training from its checkpoint");
        });
    }

    [Test]
    public async Task TrainingLeftWithoutACheckpoint_FailsWithAMessageSayingSo()
    {
        var (store, trainer, project) = await ProjectAsync();
        await using var _ = store;
        var (arn, _) = await CrashMidTrainingAsync(store, trainer, project, keepCheckpoint: false, elapsedMs: 1000);

        await store.ReopenAsync();
        await store.Client.WhenIdleAsync();
        var version = await DescribeAsync(store, project, arn);
        Assert.That(version.Status, Is.EqualTo(ProjectVersionStatus.TRAINING_FAILED));
        Assert.That(version.StatusMessage, Does.StartWith("Training stopped because the process running it ended").And.Contain("no checkpoint"));
        Assert.That(version.BillableTrainingTimeInSeconds, Is.Null);
        Assert.That(trainer.Jobs, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task ResumedTraining_CanBeCancelledLikeAnyOther()
    {
        var (store, trainer, project) = await ProjectAsync();
        await using var _ = store;
        var (arn, _) = await CrashMidTrainingAsync(store, trainer, project, keepCheckpoint: true, elapsedMs: 1000);
        trainer.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        await store.ReopenAsync();
        for (var i = 0; i < 1000 && trainer.Jobs.Count < 2; i++)
        {
            await Task.Delay(10);
        }

        Assert.That(store.Training.CancelTraining(arn), Is.True);
        await store.Client.WhenIdleAsync();
        var version = await DescribeAsync(store, project, arn);
        Assert.That(version.Status, Is.EqualTo(ProjectVersionStatus.TRAINING_FAILED));
        Assert.That(version.StatusMessage, Does.StartWith("Training was stopped"));
    }
}
