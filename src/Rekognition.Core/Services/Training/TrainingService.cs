using Rekognition.Core.Arns;
using Rekognition.Core.Catalog;
using Rekognition.Core.Model;
using Rekognition.Core.Requests;
using System.Collections.Concurrent;
using Rekognition.Core.Services.Datasets;
using Rekognition.Core.Services.Jobs;
using Rekognition.Core.Services.Tags;
using Rekognition.Core.Storage;
using Rekognition.Core.Training;

namespace Rekognition.Core.Services.Training;

/// <summary>
/// CreateProjectVersion: checks the request, creates the version TRAINING_IN_PROGRESS with its training job, which a host
/// with the <c>train</c> role claims and runs (<see cref="TrainingRun"/>); a job taken over from a host that died resumes
/// from the checkpoint in the object store. Cancels trainings wherever they run.
/// </summary>
internal sealed class TrainingService(
    RekognitionOptions options,
    ICatalog catalog,
    IDatasetCatalog datasetCatalog,
    IProjectCatalog projects,
    IVersionCatalog versions,
    TagService tags,
    TrainingLocations locations,
    TrainingRun run,
    Trainings trainings,
    JobQueue jobs,
    ResourceLookup lookup,
    ManifestLocator manifests,
    StoreClock clock) : IJobHandler
{
    // Progress callbacks of trainings created here, for when this host also runs them (a callback cannot cross hosts).
    private readonly ConcurrentDictionary<string, IProgress<TrainingProgress>> _progress = new(StringComparer.Ordinal);

    public CreateProjectVersionResponse Create(CreateProjectVersionRequest request, TrainingRunOptions runOptions)
    {
        RequestValidation.Arn(request.ProjectArn, "ProjectArn", ResourceKind.Project);
        var name = RequestValidation.ProjectName(request.VersionName, "VersionName");
        var choices = new TrainingChoices(
            Checked(runOptions.Backbone ?? options.Training.Backbone, "training backbone"),
            Checked(runOptions.DetectionBackbone ?? options.Training.DetectionBackbone, "detection backbone"),
            runOptions.NegativeExamples ?? options.Training.NegativeExamples);

        var output = RequestValidation.OutputConfig(request.OutputConfig, name);
        RequestValidation.Tags(request.Tags);
        RequestValidation.KmsKeyId(request.KmsKeyId);

        if (request.VersionDescription is { Length: > 255 })
        {
            throw new InvalidParameterException("VersionDescription must be at most 255 characters.");
        }

        if (request.FeatureConfig is not null)
        {
            throw new InvalidParameterException("FeatureConfig applies to adapters only; a Custom Labels project takes none.");
        }

        var project = lookup.Project(request.ProjectArn!);
        var source = ChooseSource(project, request);
        if (run.Trainer is null)
        {
            throw new InvalidOperationException(
                "No training backend is registered: reference Rekognition.Training and call services.AddRekognitionTraining(), or pass an IModelTrainer to the client.");
        }

        var now = clock.NowMs();
        var arn = ResourceArns.ProjectVersion(options.Region, options.AccountId, project.Name, name, now);
        var details = new ProjectVersionDetails
        {
            VersionDescription = request.VersionDescription,
            OutputConfig = output,
            KmsKeyId = request.KmsKeyId,
            TrainingBackbone = choices.Classifier,
            TrainingDetectionBackbone = choices.Detector,
            TrainingNegativeExamples = choices.Negatives ? true : null,
        };
        var payload = new TrainPayload(source.TrainDataset?.Arn, source.TestDataset?.Arn, source.TrainManifest, source.TestManifest, source.AutoSplit);
        using (var transaction = catalog.BeginTransaction())
        {
            if (!versions.TryInsert(project.Id, name, arn, now, ProjectVersionStatus.TRAINING_IN_PROGRESS.Value, TrainingProgressText.Queued, null, details, transaction))
            {
                throw new ResourceInUseException($"The project already has a version named '{name}'. Choose another VersionName.");
            }

            jobs.Enqueue(transaction, JobKind.Train, arn, payload);
            transaction.Commit();
        }

        if (runOptions.Progress is { } progress)
        {
            _progress[arn] = progress;
        }

        tags.TagNew(arn, request.Tags);
        jobs.Wake();
        return new CreateProjectVersionResponse { ProjectVersionArn = arn };
    }

    /// <inheritdoc/>
    public IReadOnlyCollection<JobKind> Kinds { get; } = [JobKind.Train];

    /// <summary>
    /// Runs a claimed training job: from the start the first time, from its checkpoint when a host that died held it
    /// before (or fails it when there is none to go on from); nothing when the version no longer waits for it.
    /// </summary>
    public async Task RunAsync(JobRecord job, CancellationToken cancellationToken)
    {
        var version = versions.FindByArn(job.ResourceArn);
        if (version is null || version.Status != ProjectVersionStatus.TRAINING_IN_PROGRESS.Value)
        {
            return;
        }

        _progress.TryRemove(version.Arn, out var progress);
        var project = projects.FindById(version.ProjectId);
        if (project is null)
        {
            run.Finish(version, false, "Training could not be run: its project no longer exists.", null, version.Details);
            return;
        }

        var payload = JobPayloadJsonContext.Read<TrainPayload>(job);
        var resuming = job.Attempts > 1;
        TrainingSource source;
        if (resuming)
        {
            if (!CanResume(version))
            {
                run.Finish(version, false,
                    "Training stopped because the process running it ended. It left no checkpoint to resume from: train a new version with CreateProjectVersion.", null, version.Details);
                return;
            }

            versions.UpdateMessage(version.Id, ProjectVersionStatus.TRAINING_IN_PROGRESS.Value, TrainingProgressText.Resuming);
            source = new TrainingSource(null, null, null, null, version.Details.TestingDataResult?.Input?.AutoCreate ?? payload.AutoSplit);
        }
        else
        {
            versions.UpdateMessage(version.Id, ProjectVersionStatus.TRAINING_IN_PROGRESS.Value, TrainingProgressText.BeingTrained);
            source = new TrainingSource(
                payload.TrainDatasetArn is null ? null : datasetCatalog.FindByArn(payload.TrainDatasetArn),
                payload.TestDatasetArn is null ? null : datasetCatalog.FindByArn(payload.TestDatasetArn),
                payload.TrainManifest, payload.TestManifest, payload.AutoSplit);
        }

        var cancellation = trainings.Add(version.Arn);
        try
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, cancellation.Token);
            var choices = new TrainingChoices(version.Details.TrainingBackbone, version.Details.TrainingDetectionBackbone, version.Details.TrainingNegativeExamples == true);
            await run.RunAsync(project, version, source, progress, choices, resuming, linked.Token).ConfigureAwait(false);
        }
        finally
        {
            trainings.Remove(version.Arn);
        }
    }

    /// <inheritdoc/>
    public void RecordFailure(JobRecord job, string message)
    {
        if (versions.FindByArn(job.ResourceArn) is { } version && version.Status == ProjectVersionStatus.TRAINING_IN_PROGRESS.Value)
        {
            run.Finish(version, false, message, null, version.Details);
        }
    }

    /// <summary>
    /// Asks a training to stop: at once when this process runs it or no host has claimed it yet, else through the
    /// catalog, where the host holding its job sees the request at its next lease renewal; false when no training of
    /// that version is queued or running.
    /// </summary>
    public bool Cancel(string projectVersionArn) =>
        trainings.Cancel(projectVersionArn) || CancelQueued(projectVersionArn) || catalog.Jobs.RequestCancel(JobKind.Train, projectVersionArn);

    // A queued training's job is deleted and its version failed in one transaction: a host claiming it meanwhile either
    // finds no job, or holds it first (nothing deleted, the request goes through the catalog instead).
    private bool CancelQueued(string projectVersionArn)
    {
        if (versions.FindByArn(projectVersionArn) is not { } version || version.Status != ProjectVersionStatus.TRAINING_IN_PROGRESS.Value)
        {
            return false;
        }

        using var transaction = catalog.BeginTransaction();
        if (!catalog.Jobs.RemoveUnclaimed(transaction, JobKind.Train, projectVersionArn)
            || !run.Finish(version, false, TrainingRun.StoppedMessage, null, version.Details, transaction))
        {
            return false; // rolled back with the transaction
        }

        transaction.Commit();
        _progress.TryRemove(projectVersionArn, out _);
        return true;
    }

    /// <summary>
    /// Whether a training a crashed process left can go on: a trainer is registered, the trainer left a checkpoint,
    /// and the manifests the training read are still in its output location.
    /// </summary>
    public bool CanResume(VersionRecord version)
    {
        if (run.Trainer is null || version.Details.OutputConfig is not { } output)
        {
            return false;
        }

        if (projects.FindById(version.ProjectId) is null)
        {
            return false;
        }

        BucketFolder folder;
        try
        {
            folder = locations.OutputFolder(output, version);
        }
        catch (ArgumentException)
        {
            return false; // recorded before output locations were checked: nothing is read from or written there
        }

        // Called from the synchronous recovery at start-up, on the caller's thread with no synchronisation context.
        return locations.HasCheckpoint(version)
               && folder.ExistsAsync(TrainingLocations.TrainingInputFileName).GetAwaiter().GetResult()
               && folder.ExistsAsync(TrainingLocations.TestingInputFileName).GetAwaiter().GetResult();
    }

    // A backbone setting is "none" (any case), unset, or the path of an existing ONNX file.
    private static string? Checked(string? backbone, string what)
    {
        if (TrainingJob.IsNoBackbone(backbone))
        {
            return TrainingJob.NoBackbone;
        }

        return backbone is not null && !File.Exists(backbone)
            ? throw new InvalidParameterException($"The {what} {backbone} does not exist: give the path of an ONNX model, or none for the built-in network.")
            : backbone;
    }

    private TrainingSource ChooseSource(ProjectRecord project, CreateProjectVersionRequest request)
    {
        var datasets = datasetCatalog.ListForProject(project.Id);

        var legacy = request.TrainingData is not null || request.TestingData is not null;
        if (legacy)
        {
            if (datasets.Count > 0)
            {
                throw new InvalidParameterException(
                    "TrainingData and TestingData can only be given for a project without datasets; this project trains from its TRAIN and TEST datasets. Omit them.");
            }

            var train = request.TrainingData?.Assets.SingleOrDefault()?.GroundTruthManifest
                        ?? throw new InvalidParameterException("TrainingData must have exactly one asset with a GroundTruthManifest, and TestingData must be given too.");
            var testing = request.TestingData ?? throw new InvalidParameterException("TestingData is required with TrainingData: give a test manifest or AutoCreate.");
            var autoSplit = testing.AutoCreate == true;
            if (autoSplit == (testing.Assets.Count > 0))
            {
                throw new InvalidParameterException("TestingData must have either one asset with a GroundTruthManifest or AutoCreate set to true.");
            }

            var test = autoSplit ? null : manifests.Locate(testing.Assets.Single().GroundTruthManifest
                                                            ?? throw new InvalidParameterException("TestingData's asset must have a GroundTruthManifest."));
            return new TrainingSource(null, null, manifests.Locate(train), test, autoSplit);
        }

        var trainDataset = datasets.SingleOrDefault(d => d.Type == DatasetType.TRAIN.Value)
                           ?? throw new InvalidParameterException("The project has no training dataset. Create one with CreateDataset (DatasetType TRAIN), then train.");
        var testDataset = datasets.SingleOrDefault(d => d.Type == DatasetType.TEST.Value);
        foreach (var dataset in new[] { trainDataset, testDataset })
        {
            // CreateProjectVersion's modeled errors: a dataset still being worked on is in use; a failed one is a bad input.
            if (dataset is not null && ResourceLookup.IsInProgress(dataset.Status))
            {
                throw new ResourceInUseException(
                    $"The {dataset.Type} dataset is {dataset.Status}; wait until DescribeDataset reports CREATE_COMPLETE or UPDATE_COMPLETE, then train.");
            }

            if (dataset is not null && dataset.Status is not ("CREATE_COMPLETE" or "UPDATE_COMPLETE"))
            {
                throw new InvalidParameterException(
                    $"The {dataset.Type} dataset is {dataset.Status}: fix it (UpdateDatasetEntries, or delete and create it again) until DescribeDataset reports CREATE_COMPLETE or UPDATE_COMPLETE, then train.");
            }
        }

        return new TrainingSource(trainDataset, testDataset, null, null, testDataset is null);
    }
}
