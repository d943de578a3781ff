using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Rekognition.Core.Arns;
using Rekognition.Core.Catalog;
using Rekognition.Core.Datasets;
using Rekognition.Core.Evaluation;
using Rekognition.Core.Images;
using Rekognition.Core.Model;
using Rekognition.Core.Models;
using Rekognition.Core.Requests;
using Rekognition.Core.Storage;
using Rekognition.Core.Training;
using Rekognition.Core.Validation;

namespace Rekognition.Core;

// CreateProjectVersion: validates the request, creates the version TRAINING_IN_PROGRESS and trains it in the
// background: manifest validation, training through IModelTrainer, evaluation on the test images, result files.
public sealed partial class RekognitionCustomLabelsClient
{
    private const string BeingTrained = "The model is being trained.";
    private const string ResumingMessage = "The model is being trained. Resuming from its last checkpoint after the process running the training ended.";
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(1);

    public Task<CreateProjectVersionResponse> CreateProjectVersionAsync(CreateProjectVersionRequest request, CancellationToken cancellationToken = default) =>
        CreateProjectVersionAsync(request, new TrainingRunOptions(), cancellationToken);

    /// <summary>
    /// CreateProjectVersion with what the service does not take: a progress receiver (epoch, loss, time left; also in
    /// DescribeProjectVersions' StatusMessage) and a backbone for transfer learning. <see cref="CancelTraining"/> stops it.
    /// </summary>
    public Task<CreateProjectVersionResponse> CreateProjectVersionAsync(
        CreateProjectVersionRequest request, TrainingRunOptions run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(run);
        RequestValidation.Arn(request.ProjectArn, "ProjectArn", ResourceKind.Project);
        var name = RequestValidation.ProjectName(request.VersionName, "VersionName");
        var backbone = run.Backbone ?? _options.Training.Backbone;
        if (TrainingJob.IsNoBackbone(backbone))
        {
            backbone = TrainingJob.NoBackbone;
        }
        else if (backbone is not null && !File.Exists(backbone))
        {
            throw new InvalidParameterException($"The training backbone {backbone} does not exist: give the path of an ONNX model, or none for the built-in backbone.");
        }

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

        var project = FindProject(request.ProjectArn!);
        var source = ChooseTrainingSource(project, request);
        if (_trainer is null)
        {
            throw new InvalidOperationException(
                "No training backend is registered: reference Rekognition.Training and call services.AddRekognitionTraining(), or pass an IModelTrainer to the client.");
        }

        var now = NowMs();
        var arn = ResourceArns.ProjectVersion(_options.Region, _options.AccountId, project.Name, name, now);
        var details = new ProjectVersionDetails
        {
            VersionDescription = request.VersionDescription,
            OutputConfig = output,
            KmsKeyId = request.KmsKeyId,
            TrainingBackbone = backbone,
        };
        if (!_versions.TryInsert(project.Id, name, arn, now, ProjectVersionStatus.TRAINING_IN_PROGRESS.Value, BeingTrained, null, details, owned: true))
        {
            throw new ResourceInUseException($"The project already has a version named '{name}'. Choose another VersionName.");
        }

        if (request.Tags.Count > 0)
        {
            _tags.TryPut(arn, request.Tags, MaxTagsPerResource);
        }

        var version = _versions.FindByArn(arn)!;
        StartTraining(project, version, source, run.Progress, backbone, resuming: false);
        return Task.FromResult(new CreateProjectVersionResponse { ProjectVersionArn = arn });
    }

    private void StartTraining(ProjectRecord project, VersionRecord version, TrainingSource source, IProgress<TrainingProgress>? progress, string? backbone, bool resuming)
    {
        var arn = version.Arn;
        var cancellation = _trainings.Add(arn);
        _background.Start($"train {arn}", async stopping =>
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(stopping, cancellation.Token);
            try
            {
                await TrainVersionAsync(project, version, source, progress, backbone, resuming, linked.Token).ConfigureAwait(false);
            }
            finally
            {
                _trainings.Remove(arn);
            }
        });
    }

    /// <summary>Where a version's training keeps its scratch files and the trainer's output (and checkpoint), from store ids only.</summary>
    private static string TrainingKey(VersionRecord version) => StoreLayout.Training(version.ProjectId, version.Id, version.CreatedMs);

    /// <summary>The output files are written here first (a store folder), then copied into the output bucket folder.</summary>

    private BucketFolder OutputFolder(OutputConfig output, VersionRecord version) =>
        new(_resolver.Buckets, output.S3Bucket!, $"{output.S3KeyPrefix}{version.Name}/");

    /// <summary>
    /// Whether a training a crashed process left can go on: a trainer is registered, the trainer left a checkpoint,
    /// and the manifests the training read are still in its output location.
    /// </summary>
    private bool CanResumeTraining(VersionRecord version)
    {
        if (_trainer is null || version.Details.OutputConfig is not { } output)
        {
            return false;
        }

        using var connection = _database.Open();
        if (_projects.FindById(connection, version.ProjectId) is not { } project)
        {
            return false;
        }

        BucketFolder folder;
        try
        {
            folder = OutputFolder(output, version);
        }
        catch (ArgumentException)
        {
            return false; // recorded before output locations were checked: nothing is read from or written there
        }

        return _store.Objects.ExistsAsync(StoreLayout.TrainerCheckpoint(TrainingKey(version))).GetAwaiter().GetResult()
               && _resolver.Buckets.FileExists($"{folder.Bucket}/{folder.Prefix}{TrainingInputFileName}")
               && _resolver.Buckets.FileExists($"{folder.Bucket}/{folder.Prefix}{TestingInputFileName}");
    }

    /// <summary>Trains again, from its checkpoint, a version whose process ended mid-training (the store claimed it already).</summary>
    private void ResumeTraining(VersionRecord version)
    {
        ProjectRecord? project;
        using (var connection = _database.Open())
        {
            project = _projects.FindById(connection, version.ProjectId);
        }

        if (project is null)
        {
            FinishTraining(version, false, "Training could not be resumed: its project no longer exists.", null, version.Details);
            return;
        }

        var autoSplit = version.Details.TestingDataResult?.Input?.AutoCreate ?? false;
        StartTraining(project, version, new TrainingSource(null, null, null, null, autoSplit), null, version.Details.TrainingBackbone, resuming: true);
    }

    /// <summary>
    /// Stops a training this client runs; the version ends TRAINING_FAILED. Not a service operation (the service
    /// has no way to stop a training). Returns false when no training of that version runs here.
    /// </summary>
    public bool CancelTraining(string projectVersionArn) => _trainings.Cancel(projectVersionArn);

    /// <summary>Where the training and test lines come from: the project's datasets, or the legacy manifests.</summary>
    private sealed record TrainingSource(DatasetRecord? TrainDataset, DatasetRecord? TestDataset, string? TrainManifest, string? TestManifest, bool AutoSplit);

    private TrainingSource ChooseTrainingSource(ProjectRecord project, CreateProjectVersionRequest request)
    {
        List<DatasetRecord> datasets;
        using (var connection = _database.Open())
        {
            datasets = DatasetStore.ListForProject(connection, null, project.Id);
        }

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

            var test = autoSplit ? null : ManifestPath(testing.Assets.Single().GroundTruthManifest
                                                        ?? throw new InvalidParameterException("TestingData's asset must have a GroundTruthManifest."));
            return new TrainingSource(null, null, ManifestPath(train), test, autoSplit);
        }

        var trainDataset = datasets.SingleOrDefault(d => d.Type == DatasetType.TRAIN.Value)
                           ?? throw new InvalidParameterException("The project has no training dataset. Create one with CreateDataset (DatasetType TRAIN), then train.");
        var testDataset = datasets.SingleOrDefault(d => d.Type == DatasetType.TEST.Value);
        foreach (var dataset in new[] { trainDataset, testDataset })
        {
            // CreateProjectVersion's modeled errors: a dataset still being worked on is in use; a failed one is a bad input.
            if (dataset is not null && IsInProgress(dataset.Status))
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

    /// <summary>
    /// Runs a training. <paramref name="resuming"/>: a crashed process started it; the manifests it wrote are read
    /// again, the trainer finds its checkpoint in the same folder, and the time already spent (as of the last
    /// progress report) counts towards the billable time.
    /// </summary>
    private async Task TrainVersionAsync(ProjectRecord project, VersionRecord version, TrainingSource source, IProgress<TrainingProgress>? progress, string? backbone, bool resuming, CancellationToken ct)
    {
        using var training = Diagnostics.RekognitionTelemetry.StartTraining(project.Arn, version.Arn);
        var details = version.Details;
        var clock = new TrainingClock(resuming ? details.TrainingElapsedMs ?? 0 : 0);
        var output = details.OutputConfig!;
        var folder = OutputFolder(output, version);
        var trainingKey = TrainingKey(version);
        var packageKey = StoreLayout.ModelPackage(version.ProjectId, version.Id, version.CreatedMs);
        var outputDirectory = _store.WorkingDirectory(StoreLayout.StagedOutputs(trainingKey), create: false);
        S3Object Location(string fileName) => folder.Object(fileName);
        Task Publish(params string[] names) => Task.WhenAll(names.Select(n => folder.PublishAsync(n, Path.Combine(outputDirectory, n))));
        var completed = false;

        try
        {
            _store.WorkingDirectory(StoreLayout.StagedOutputs(trainingKey));

            // 1. The lines this training reads, fixed now: later dataset changes do not reach it (a resumed training reads them again).
            // A resumed training reads them back from its output folder (beneath the buckets root), where the first run put them.
            var (trainManifest, testManifest) = resuming
                ? (CopyManifest(folder, TrainingInputFileName, outputDirectory), CopyManifest(folder, TestingInputFileName, outputDirectory))
                : WriteTrainingManifests(source, outputDirectory);
            if (!resuming)
            {
                await Publish(TrainingInputFileName, TestingInputFileName).ConfigureAwait(false);
            }

            // 2. Validation, with the service's summary and annotated manifests.
            ManifestSummary summary;
            var validation = new TrainingManifestValidation(_options.Limits, _resolver, _options.CheckImages ? new ImageHeaderProbe() : null);
            await using (var train = File.OpenRead(trainManifest))
            await using (var test = File.OpenRead(testManifest))
            {
                summary = await validation.RunAsync(train, null, test, null, outputDirectory, ct).ConfigureAwait(false);
            }

            if (summary.FileError is null)
            {
                await Publish(TrainingManifestValidation.SummaryFileName, TrainingManifestValidation.TrainingManifestFileName, TrainingManifestValidation.TestingManifestFileName).ConfigureAwait(false);
            }

            if (summary.FileError is { } fileError)
            {
                FinishTraining(version, false, $"The {summary.FileErrorDataset} manifest is not valid: {fileError.Message}", null, details);
                return;
            }

            details.ManifestSummary = new GroundTruthManifest { S3Object = Location(TrainingManifestValidation.SummaryFileName) };
            details.TrainingDataResult = new TrainingDataResult
            {
                Input = new TrainingData { Assets = { AssetFor(Location(TrainingInputFileName)) } },
                Validation = new ValidationData { Assets = { AssetFor(Location(TrainingManifestValidation.TrainingManifestFileName)) } },
            };
            details.TestingDataResult = new TestingDataResult
            {
                Input = new TestingData { Assets = { AssetFor(Location(TestingInputFileName)) }, AutoCreate = source.AutoSplit },
                Validation = new ValidationData { Assets = { AssetFor(Location(TrainingManifestValidation.TestingManifestFileName)) } },
            };
            if (summary.HasTerminalErrors)
            {
                var error = summary.Errors.Concat(summary.Statistics.Training.Errors).Concat(summary.Statistics.Testing.Errors).First();
                FinishTraining(version, false, $"{error.Code}: {error.Message}", null, details);
                return;
            }

            // 3. The usable images.
            TrainingExamples examples;
            var reader = new TrainingExampleReader(_options.Limits, _resolver);
            await using (var train = File.OpenRead(trainManifest))
            await using (var test = File.OpenRead(testManifest))
            {
                examples = reader.Read(train, test, summary.Statistics.Training.UseCase, ct);
            }

            AtomicFile.Write(Path.Combine(outputDirectory, TrainingSnapshotFileName), stream =>
            {
                using var writer = new StreamWriter(stream, leaveOpen: true);
                foreach (var line in examples.TrainLines)
                {
                    writer.WriteLine(line);
                }
            });
            await Publish(TrainingSnapshotFileName).ConfigureAwait(false);
            details.TrainingDataResult.Output = new TrainingData { Assets = { AssetFor(Location(TrainingSnapshotFileName)) } };

            // 4. Training.
            var job = new TrainingJob(examples.Kind, examples.Labels, examples.Train, examples.Test.Select(t => t.Image).ToArray(),
                _store.WorkingDirectory(StoreLayout.TrainerOutput(trainingKey)), backbone) { OpenImage = OpenTrainingImage };
            var reporter = new TrainingProgressReporter(this, version, progress, details, clock);
            training?.SetTag(Diagnostics.RekognitionTelemetry.ImageCountTag, examples.Train.Count);
            var trained = await _trainer!.TrainAsync(job, reporter, ct).ConfigureAwait(false);
            var package = await _store.PutModelPackageAsync(packageKey, trained, ct).ConfigureAwait(false);
            details.TrainingElapsedMs = clock.ElapsedMs;
            details.BillableTrainingTimeInSeconds = (long)Math.Ceiling(clock.Elapsed.TotalSeconds);

            // 5. Evaluation on the test images, which also sets each label's assumed threshold.
            if (_runtime is null)
            {
                _logger.LogWarning("Model {Arn} was trained but not evaluated: no inference runtime is registered", version.Arn);
            }
            else if (examples.Test.Count > 0)
            {
                _versions.UpdateMessage(version.Id, ProjectVersionStatus.TRAINING_IN_PROGRESS.Value, "The model is being tested on the test dataset.");
                using var evaluating = Diagnostics.RekognitionTelemetry.StartEvaluation(version.Arn, examples.Test.Count);
                var input = await ModelTester.RunAsync(_runtime, package, examples.Test, _resolver, ct).ConfigureAwait(false);
                var evaluation = ModelEvaluator.Evaluate(input);
                package = await _store.UpdateModelMetadataAsync(packageKey, WithAssumedThresholds(package.Metadata, evaluation), ct).ConfigureAwait(false);
                details.EvaluationResult = await WriteEvaluationAsync(project, version, evaluation, examples.Train.Count, outputDirectory, Location, ct).ConfigureAwait(false);
                await Publish(EvaluationSummaryWriter.FileName(project.Name, version.Name), EvaluationSnapshotFileName).ConfigureAwait(false);
                details.TestingDataResult.Output = new TestingData { Assets = { AssetFor(Location(EvaluationSnapshotFileName)) } };
                await WriteReportAsync(project, version, evaluation, StoreLayout.EvaluationReport(packageKey), ct).ConfigureAwait(false);
            }

            details.TrainingEndMs = NowMs();
            completed = FinishTraining(version, true, ReadyToRun, packageKey, details);
        }
        catch (OperationCanceledException)
        {
            FinishTraining(version, false, "Training was stopped before it finished (CancelTraining, or the client was disposed).", null, details);
        }
        catch (InvalidParameterException ex)
        {
            FinishTraining(version, false, ex.Message, null, details);
        }
        catch (Storage.Confinement.PathEscapeException ex)
        {
            _logger.LogWarning(ex, "Training {Arn} refused to write its output outside the buckets root", version.Arn);
            FinishTraining(version, false,
                $"The output location s3://{folder.Bucket}/{folder.Prefix} cannot be written: a folder on the way is a symbolic link out of the buckets root.", null, details);
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Training {Arn} failed", version.Arn);
            FinishTraining(version, false, $"Training failed: {HideMachinePaths(ex.Message)}", null, details);
        }
        finally
        {
            if (!completed)
            {
                TryDeleteObjects(packageKey);
            }

            TryDeleteWorkingDirectory(trainingKey);
        }
    }

    // Output files beside the service's own (manifest_summary.json, *_with_validation.json, the evaluation summary):
    // the lines the run read, the lines it trained on, and the test images with their predictions.
    private const string TrainingInputFileName = "training_input_manifest.json";
    private const string TestingInputFileName = "testing_input_manifest.json";
    private const string TrainingSnapshotFileName = "training_output_manifest.json";
    private const string EvaluationSnapshotFileName = "testing_output_manifest.json";

    private bool FinishTraining(VersionRecord version, bool succeeded, string message, string? packageKey, ProjectVersionDetails details)
    {
        if (!succeeded)
        {
            // Only successful trainings are billed; a failed one keeps the locations of the files it wrote.
            details.BillableTrainingTimeInSeconds = null;
            details.TrainingEndMs = NowMs();
            details.EvaluationResult = null;
        }

        var status = succeeded ? ProjectVersionStatus.TRAINING_COMPLETED : ProjectVersionStatus.TRAINING_FAILED;
        if (!_versions.TryFinishTraining(version.Id, status.Value, message, packageKey, details))
        {
            _logger.LogWarning("Training {Arn} ended but the version had already left TRAINING_IN_PROGRESS", version.Arn);
            return false;
        }

        return true;
    }

    /// <summary>Writes the training and test manifests a run reads into its work folder: from the datasets (split 80/20 when there is no test dataset) or from the legacy manifests.</summary>
    private (string Train, string Test) WriteTrainingManifests(TrainingSource source, string outputDirectory)
    {
        var train = Path.Combine(outputDirectory, TrainingInputFileName);
        var test = Path.Combine(outputDirectory, TestingInputFileName);
        if (source.TrainDataset is null)
        {
            CopyManifest(source.TrainManifest!, train);
            if (source.AutoSplit)
            {
                SplitManifest(train, test);
            }
            else
            {
                CopyManifest(source.TestManifest!, test);
            }

            return (train, test);
        }

        HashSet<long>? held = null;
        if (source.AutoSplit)
        {
            using var connection = _database.Open();
            var entries = EntryQueries.EntriesWithLabels(connection, null, source.TrainDataset.Id);
            var chosen = DatasetSplit.ChooseTestEntries(entries.Select(e => (IReadOnlyCollection<string>)e.Labels).ToList());
            if (chosen.Length == 0)
            {
                throw new InvalidParameterException(
                    "ERROR_INSUFFICIENT_IMAGES_PER_LABEL_FOR_AUTOSPLIT: The training dataset does not have enough labelled images per label to hold 20 % back for testing. Add images or create a test dataset.");
            }

            held = chosen.Select(i => entries[i].Id).ToHashSet();
        }

        using (var stream = File.Create(train))
        {
            _entries.WriteManifest(source.TrainDataset.Id, stream, except: held);
        }

        using (var stream = File.Create(test))
        {
            if (source.TestDataset is not null)
            {
                _entries.WriteManifest(source.TestDataset.Id, stream);
            }
            else
            {
                _entries.WriteManifest(source.TrainDataset.Id, stream, only: held);
            }
        }

        return (train, test);
    }

    /// <summary>Copies a file of the output folder (read beneath the buckets root) into the training's own folder.</summary>
    private string CopyManifest(BucketFolder folder, string fileName, string stagingDirectory)
    {
        var target = Path.Combine(stagingDirectory, fileName);
        CopyManifest(_resolver.Buckets.Root + Path.DirectorySeparatorChar + folder.Bucket + Path.DirectorySeparatorChar + folder.Prefix.Replace('/', Path.DirectorySeparatorChar) + fileName, target);
        return target;
    }

    /// <summary>Copies a legacy manifest (read beneath its root) into the training's own folder.</summary>
    private void CopyManifest(string manifestPath, string target)
    {
        using var stream = _resolver.OpenRead(manifestPath, out _, 1 << 16)
                           ?? throw new InvalidParameterException($"{ValidationCodes.ManifestInaccessibleOrUnsupportedFormat}: a training manifest can no longer be read from its bucket.");
        using var copy = File.Create(target);
        stream.CopyTo(copy);
    }

    /// <summary>Moves the 20 % of a legacy manifest's lines that <see cref="DatasetSplit"/> chooses into the test manifest.</summary>
    private void SplitManifest(string train, string test)
    {
        var lines = File.ReadAllLines(train).Where(l => !string.IsNullOrWhiteSpace(l)).ToArray();
        var validator = new ManifestLineValidator(_options.Limits, _resolver, null);
        var labels = lines.Select((l, i) => (IReadOnlyCollection<string>)validator
            .ValidateLine(System.Text.Encoding.UTF8.GetBytes(l), i + 1, null).Labels.Select(u => u.Name).ToArray()).ToList();
        var chosen = DatasetSplit.ChooseTestEntries(labels).ToHashSet();
        if (chosen.Count == 0)
        {
            throw new InvalidParameterException(
                "ERROR_INSUFFICIENT_IMAGES_PER_LABEL_FOR_AUTOSPLIT: The training manifest does not have enough labelled images per label to hold 20 % back for testing.");
        }

        File.WriteAllLines(test, lines.Where((_, i) => chosen.Contains(i)));
        File.WriteAllLines(train, lines.Where((_, i) => !chosen.Contains(i)));
    }

    private static Asset AssetFor(S3Object location) => new() { GroundTruthManifest = new GroundTruthManifest { S3Object = location } };

    private static ModelPackageMetadata WithAssumedThresholds(ModelPackageMetadata metadata, ModelEvaluation evaluation)
    {
        foreach (var label in evaluation.LabelResults.Where(l => l.HasGroundTruth))
        {
            metadata.AssumedThresholds[label.Label] = Math.Clamp(label.Threshold, 0f, 1f);
        }

        metadata.Evaluation["F1Score"] = evaluation.Aggregate.F1Score.ToString("R", CultureInfo.InvariantCulture);
        metadata.Evaluation["TestImages"] = evaluation.NumberOfTestingImages.ToString(CultureInfo.InvariantCulture);
        return metadata;
    }

    private async Task<EvaluationResult> WriteEvaluationAsync(
        ProjectRecord project, VersionRecord version, ModelEvaluation evaluation, int trainingImages, string outputDirectory, Func<string, S3Object> location, CancellationToken ct)
    {
        var summaryName = EvaluationSummaryWriter.FileName(project.Name, version.Name);
        await AtomicFile.WriteAsync(Path.Combine(outputDirectory, summaryName), stream => EvaluationSummaryWriter.WriteAsync(stream, evaluation, new EvaluationSummaryDetails
        {
            ProjectVersionArn = version.Arn,
            EvaluationEndTimestamp = _time.GetUtcNow().UtcDateTime,
            NumberOfTrainingImages = trainingImages,
        }, ct)).ConfigureAwait(false);
        await AtomicFile.WriteAsync(Path.Combine(outputDirectory, EvaluationSnapshotFileName), stream =>
        {
            EvaluationSnapshotWriter.Write(stream, evaluation, _time.GetUtcNow().UtcDateTime);
            return Task.CompletedTask;
        }).ConfigureAwait(false);
        return evaluation.ToEvaluationResult(location(summaryName));
    }

    private async Task WriteReportAsync(ProjectRecord project, VersionRecord version, ModelEvaluation evaluation, string key, CancellationToken ct)
    {
        var images = evaluation.Input.Images.ToDictionary(i => i.SourceRef, i => _resolver.Resolve(i.SourceRef).LocalPath, StringComparer.Ordinal);
        await _store.Objects.PutAsync(key, stream => EvaluationHtmlReportWriter.WriteAsync(stream, evaluation, new EvaluationReportOptions
        {
            Title = $"{project.Name} / {version.Name}",
            ImageBytes = image => images.GetValueOrDefault(image.SourceRef) is { } file ? ReadConfined(file) : null,
        }, ct), ct).ConfigureAwait(false);
    }

    /// <summary>A training image opened beneath its root; one replaced by a link out since validation fails the training.</summary>
    private Stream OpenTrainingImage(string path) =>
        _resolver.OpenRead(path, out var failure, 1) ?? throw new IOException(
            $"A training image can no longer be read beneath the buckets root or an allowed image root ({failure}); validate the datasets again.");

    /// <summary>A file's bytes read beneath its root, or null when it is not readable there.</summary>
    private byte[]? ReadConfined(string path)
    {
        using var stream = _resolver.OpenRead(path, out _);
        if (stream is null)
        {
            return null;
        }

        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }

    private void TryDeleteObjects(string prefix)
    {
        try
        {
            _store.Objects.DeletePrefixAsync(prefix).GetAwaiter().GetResult();
        }
        catch (IOException ex)
        {
            _logger.LogWarning(ex, "Could not remove the store's objects beneath {Prefix}", prefix);
        }
    }

    private void TryDeleteWorkingDirectory(string key)
    {
        try
        {
            _store.DeleteWorkingDirectory(key);
        }
        catch (IOException ex)
        {
            _logger.LogWarning(ex, "Could not remove the store's working folder {Key}", key);
        }
    }

    /// <summary>Time a training has run: what earlier processes ran of it (as recorded) plus this run's.</summary>
    private sealed class TrainingClock(long earlierMs)
    {
        private readonly Stopwatch _watch = Stopwatch.StartNew();

        public TimeSpan Elapsed => TimeSpan.FromMilliseconds(earlierMs) + _watch.Elapsed;

        public long ElapsedMs => (long)Elapsed.TotalMilliseconds;
    }

    /// <summary>
    /// Passes trainer progress to the caller and, at most once a second, into the version's StatusMessage, with the
    /// time run so far in its details (what a resumed training bills from).
    /// </summary>
    private sealed class TrainingProgressReporter(
        RekognitionCustomLabelsClient client, VersionRecord version, IProgress<TrainingProgress>? progress, ProjectVersionDetails details, TrainingClock clock) : IProgress<TrainingProgress>
    {
        private long _lastWrite = long.MinValue;

        public void Report(TrainingProgress value)
        {
            progress?.Report(value);
            var now = Environment.TickCount64;
            if (now - Interlocked.Read(ref _lastWrite) < ProgressInterval.TotalMilliseconds && value.Epoch < value.Epochs)
            {
                return;
            }

            Interlocked.Exchange(ref _lastWrite, now);
            var left = value.Remaining is { } r && r > TimeSpan.Zero ? $", about {FormatDuration(r)} left" : "";
            lock (details)
            {
                details.TrainingElapsedMs = clock.ElapsedMs;
                client._versions.UpdateProgress(version.Id, ProjectVersionStatus.TRAINING_IN_PROGRESS.Value,
                    string.Create(CultureInfo.InvariantCulture, $"{BeingTrained} Epoch {value.Epoch} of {value.Epochs}, loss {value.Loss:0.####}{left}."), details);
            }
        }

        private static string FormatDuration(TimeSpan span) =>
            span.TotalMinutes >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalMinutes} min {span.Seconds} s") : string.Create(CultureInfo.InvariantCulture, $"{Math.Max(1, (int)span.TotalSeconds)} s");
    }
}
