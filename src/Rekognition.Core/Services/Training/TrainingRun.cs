using Microsoft.Extensions.Logging;
using Rekognition.Core.Catalog;
using Rekognition.Core.Evaluation;
using Rekognition.Core.Images;
using Rekognition.Core.Inference;
using Rekognition.Core.Model;
using Rekognition.Core.Models;
using Rekognition.Core.Services.Versions;
using Rekognition.Core.Storage;
using Rekognition.Core.Training;
using Rekognition.Core.Validation;

namespace Rekognition.Core.Services.Training;

/// <summary>
/// One training, start to end: the manifests it reads, their validation, the usable images, training through
/// <see cref="IModelTrainer"/>, evaluation on the test images and the result files, then the version's final status.
/// </summary>
internal sealed class TrainingRun(
    RekognitionOptions options,
    Store store,
    IVersionCatalog versions,
    SourceRefResolver resolver,
    TrainingLocations locations,
    TrainingManifests manifests,
    EvaluationFiles evaluationFiles,
    CallerMessages messages,
    StoreClock clock,
    ILogger<TrainingRun> logger,
    IModelTrainer? trainer = null,
    IModelRuntime? runtime = null)
{
    /// <summary>The training backend; null when none is registered.</summary>
    public IModelTrainer? Trainer => trainer;

    /// <summary>
    /// Runs a training. <paramref name="resuming"/>: a crashed process started it; the manifests it wrote are read
    /// again, the trainer finds its checkpoint in the same folder, and the time already spent (as of the last
    /// progress report) counts towards the billable time.
    /// </summary>
    public async Task RunAsync(ProjectRecord project, VersionRecord version, TrainingSource source, IProgress<TrainingProgress>? progress, TrainingChoices choices, bool resuming, CancellationToken ct)
    {
        using var training = Diagnostics.RekognitionTelemetry.StartTraining(project.Arn, version.Arn);
        var details = version.Details;
        var clockRun = new TrainingClock(resuming ? details.TrainingElapsedMs ?? 0 : 0);
        var folder = locations.OutputFolder(details.OutputConfig!, version);
        var trainingKey = TrainingLocations.TrainingKey(version);
        var packageKey = TrainingLocations.PackageKey(version);
        S3Object Location(string fileName) => folder.Object(fileName);
        Task Publish(params StagedFile[] files) => locations.PublishAsync(folder, trainingKey, project, version, ct, files);
        Task<Stream> OpenStaged(StagedFile file) => store.Objects.OpenExistingAsync(StoreLayout.StagedOutput(trainingKey, file), ct);
        var completed = false;

        try
        {
            // 1. The lines this training reads, fixed now and staged in the store: later dataset changes do not reach it.
            // A resumed training stages them again from its output folder (beneath the buckets root), where the first run published them.
            if (resuming)
            {
                await manifests.CopyBackAsync(folder, StagedFile.TrainingInputManifest, TrainingLocations.TrainingInputFileName, trainingKey, ct).ConfigureAwait(false);
                await manifests.CopyBackAsync(folder, StagedFile.TestingInputManifest, TrainingLocations.TestingInputFileName, trainingKey, ct).ConfigureAwait(false);
            }
            else
            {
                await manifests.WriteAsync(source, trainingKey, ct).ConfigureAwait(false);
                await Publish(StagedFile.TrainingInputManifest, StagedFile.TestingInputManifest).ConfigureAwait(false);
            }

            // 2. Validation, with the service's summary and annotated manifests (streamed straight into the store, then published).
            ManifestSummary summary;
            var validation = new TrainingManifestValidation(options.Limits, resolver, options.CheckImages);
            var validationKeys = new ValidationOutputKeys(store.Objects, StoreLayout.StagedOutput(trainingKey, StagedFile.ManifestSummary),
                StoreLayout.StagedOutput(trainingKey, StagedFile.TrainingValidationManifest), StoreLayout.StagedOutput(trainingKey, StagedFile.TestingValidationManifest));
            await using (var train = await OpenStaged(StagedFile.TrainingInputManifest).ConfigureAwait(false))
            await using (var test = await OpenStaged(StagedFile.TestingInputManifest).ConfigureAwait(false))
            {
                summary = await validation.RunAsync(train, null, test, null, validationKeys, ct).ConfigureAwait(false);
            }

            if (summary.FileError is { } fileError)
            {
                Finish(version, false, $"The {summary.FileErrorDataset} manifest is not valid: {fileError.Message}", null, details);
                return;
            }

            await Publish(StagedFile.ManifestSummary, StagedFile.TrainingValidationManifest, StagedFile.TestingValidationManifest).ConfigureAwait(false);
            details.ManifestSummary = new GroundTruthManifest { S3Object = Location(TrainingManifestValidation.SummaryFileName) };
            details.TrainingDataResult = new TrainingDataResult
            {
                Input = new TrainingData { Assets = { AssetFor(Location(TrainingLocations.TrainingInputFileName)) } },
                Validation = new ValidationData { Assets = { AssetFor(Location(TrainingManifestValidation.TrainingManifestFileName)) } },
            };
            details.TestingDataResult = new TestingDataResult
            {
                Input = new TestingData { Assets = { AssetFor(Location(TrainingLocations.TestingInputFileName)) }, AutoCreate = source.AutoSplit },
                Validation = new ValidationData { Assets = { AssetFor(Location(TrainingManifestValidation.TestingManifestFileName)) } },
            };
            if (summary.HasTerminalErrors)
            {
                var error = summary.Errors.Concat(summary.Statistics.Training.Errors).Concat(summary.Statistics.Testing.Errors).First();
                Finish(version, false, $"{error.Code}: {error.Message}", null, details);
                return;
            }

            // 3. The usable images.
            TrainingExamples examples;
            var reader = new TrainingExampleReader(options.Limits, resolver);
            await using (var train = await OpenStaged(StagedFile.TrainingInputManifest).ConfigureAwait(false))
            await using (var test = await OpenStaged(StagedFile.TestingInputManifest).ConfigureAwait(false))
            {
                examples = reader.Read(train, test, summary.Statistics.Training.UseCase, ct, choices.Negatives);
            }

            await store.Objects.PutLinesAsync(StoreLayout.StagedOutput(trainingKey, StagedFile.TrainingOutputManifest), examples.TrainLines, ct).ConfigureAwait(false);
            await Publish(StagedFile.TrainingOutputManifest).ConfigureAwait(false);
            details.TrainingDataResult.Output = new TrainingData { Assets = { AssetFor(Location(TrainingLocations.TrainingSnapshotFileName)) } };

            // 3b. Data checks: warnings in the manifest summary (published again) and the report, never a stop.
            var warnings = DataChecks.Run(examples, OpenTrainingImage, ct);
            if (warnings.Count > 0)
            {
                summary.Warnings = warnings;
                await store.Objects.PutAsync(StoreLayout.StagedOutput(trainingKey, StagedFile.ManifestSummary),
                    stream => System.Text.Json.JsonSerializer.SerializeAsync(stream, summary, ValidationJsonContext.Default.ManifestSummary, ct), ct).ConfigureAwait(false);
                await Publish(StagedFile.ManifestSummary).ConfigureAwait(false);
            }

            // 4. Training.
            // The trainer works in a local scratch folder; its checkpoints are mirrored into the object store (a host that
            // takes this training over fetches the last one from there), its package is put there below.
            var trainerDirectory = locations.TrainerDirectory(trainingKey);
            var job = new TrainingJob(examples.Kind, examples.Labels, examples.Train, examples.Test.Select(t => t.Image).ToArray(),
                trainerDirectory, choices.For(examples.Kind)) { OpenImage = OpenTrainingImage };
            training?.SetTag(Diagnostics.RekognitionTelemetry.ImageCountTag, examples.Train.Count);
            var reporter = new TrainingProgressText(versions, version, progress, details, clockRun);
            ModelPackage trained;
            await using (await CheckpointMirror.StartAsync(store.Objects, trainingKey, trainerDirectory, logger, ct).ConfigureAwait(false))
            {
                trained = await trainer!.TrainAsync(job, reporter, ct).ConfigureAwait(false);
            }

            var package = await store.PutModelPackageAsync(packageKey, trained, ct).ConfigureAwait(false);
            details.TrainingElapsedMs = clockRun.ElapsedMs;
            details.BillableTrainingTimeInSeconds = (long)Math.Ceiling(clockRun.Elapsed.TotalSeconds);

            // 5. Evaluation on the test images, which also sets each label's assumed threshold.
            if (runtime is null)
            {
                TrainingLog.NotEvaluated(logger, version.Arn);
            }
            else if (examples.Test.Count > 0)
            {
                versions.UpdateMessage(version.Id, ProjectVersionStatus.TRAINING_IN_PROGRESS.Value, "The model is being tested on the test dataset.");
                using var evaluating = Diagnostics.RekognitionTelemetry.StartEvaluation(version.Arn, examples.Test.Count);
                var input = await ModelTester.RunAsync(runtime, package, examples.Test, resolver, ct).ConfigureAwait(false);
                var evaluation = ModelEvaluator.Evaluate(input);
                package = await store.UpdateModelMetadataAsync(packageKey, EvaluationFiles.WithAssumedThresholds(package.Metadata, evaluation), ct).ConfigureAwait(false);
                details.EvaluationResult = await evaluationFiles.WriteAsync(project, version, evaluation, examples.Train.Count, trainingKey, Location, ct).ConfigureAwait(false);
                await Publish(StagedFile.EvaluationSummary, StagedFile.TestingOutputManifest).ConfigureAwait(false);
                details.TestingDataResult.Output = new TestingData { Assets = { AssetFor(Location(TrainingLocations.EvaluationSnapshotFileName)) } };
                await evaluationFiles.WriteReportAsync(project, version, evaluation, StoreLayout.EvaluationReport(packageKey), ct, warnings).ConfigureAwait(false);
            }

            details.TrainingEndMs = clock.NowMs();
            completed = Finish(version, true, VersionService.ReadyToRun, packageKey, details);
        }
        catch (OperationCanceledException)
        {
            Finish(version, false, StoppedMessage, null, details);
        }
        catch (InvalidParameterException ex)
        {
            Finish(version, false, ex.Message, null, details);
        }
        catch (Storage.Confinement.PathEscapeException ex)
        {
            TrainingLog.RefusedOutsideRoot(logger, ex, version.Arn);
            Finish(version, false,
                $"The output location s3://{folder.Bucket}/{folder.Prefix} cannot be written: a folder on the way is a symbolic link out of the buckets root.", null, details);
        }
        catch (Exception ex)
        {
            TrainingLog.Failed(logger, ex, version.Arn);
            Finish(version, false, $"Training failed: {messages.HideMachinePaths(ex.Message)}", null, details);
        }
        finally
        {
            if (!completed)
            {
                StoreCleanup.TryDeleteObjects(store, packageKey, logger);
            }

            StoreCleanup.TryDeleteObjects(store, trainingKey, logger); // the staged outputs (published) and the checkpoint
            locations.DeleteTrainerDirectory(trainingKey);
        }
    }

    /// <summary>The status message of a training stopped by CancelTraining (or by the client's disposal), queued or running.</summary>
    public const string StoppedMessage = "Training was stopped before it finished (CancelTraining, or the client was disposed).";

    /// <summary>Records a training's end (inside <paramref name="transaction"/> when given); false when the version had already left TRAINING_IN_PROGRESS.</summary>
    public bool Finish(VersionRecord version, bool succeeded, string message, string? packageKey, ProjectVersionDetails details, ICatalogTransaction? transaction = null)
    {
        if (!succeeded)
        {
            // Only successful trainings are billed; a failed one keeps the locations of the files it wrote.
            details.BillableTrainingTimeInSeconds = null;
            details.TrainingEndMs = clock.NowMs();
            details.EvaluationResult = null;
        }

        var status = succeeded ? ProjectVersionStatus.TRAINING_COMPLETED : ProjectVersionStatus.TRAINING_FAILED;
        if (!versions.TryFinishTraining(version.Id, status.Value, message, packageKey, details, transaction))
        {
            TrainingLog.AlreadyFinished(logger, version.Arn);
            return false;
        }

        return true;
    }

    private static Asset AssetFor(S3Object location) => new() { GroundTruthManifest = new GroundTruthManifest { S3Object = location } };

    /// <summary>A training image opened beneath its root; one replaced by a link out since validation fails the training.</summary>
    private Stream OpenTrainingImage(string path) =>
        resolver.OpenRead(path, out var failure, 1) ?? throw new IOException(
            $"A training image can no longer be read beneath the buckets root or an allowed image root ({failure}); validate the datasets again.");
}
