using Microsoft.Extensions.Logging;
using Rekognition.Core.Arns;
using Rekognition.Core.Catalog;
using Rekognition.Core.Inference;
using Rekognition.Core.Model;
using Rekognition.Core.Models;
using Rekognition.Core.Requests;

namespace Rekognition.Core;

// DescribeProjectVersions, DeleteProjectVersion, StartProjectVersion, StopProjectVersion, and the
// local ImportProjectVersion / ExportProjectVersion.
public sealed partial class RekognitionCustomLabelsClient
{
    private const string ReadyToRun = "The model is ready to run.";

    private static readonly string[] Startable =
    {
        ProjectVersionStatus.TRAINING_COMPLETED.Value, ProjectVersionStatus.COPYING_COMPLETED.Value,
        ProjectVersionStatus.STOPPED.Value, ProjectVersionStatus.FAILED.Value,
    };

    private static readonly string[] Busy =
    {
        ProjectVersionStatus.STARTING.Value, ProjectVersionStatus.RUNNING.Value, ProjectVersionStatus.STOPPING.Value,
        ProjectVersionStatus.TRAINING_IN_PROGRESS.Value, ProjectVersionStatus.COPYING_IN_PROGRESS.Value,
    };

    public Task<DescribeProjectVersionsResponse> DescribeProjectVersionsAsync(DescribeProjectVersionsRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        RequestValidation.Arn(request.ProjectArn, "ProjectArn", ResourceKind.Project);
        var pageSize = RequestValidation.PageSize(request.MaxResults, "MaxResults", 100, 100);
        if (request.VersionNames.Count > 10)
        {
            throw new InvalidParameterException("1 validation error detected: Value at 'versionNames' failed to satisfy constraint: Member must have length less than or equal to 10.");
        }

        foreach (var name in request.VersionNames)
        {
            RequestValidation.ProjectName(name, "VersionNames");
        }

        var project = FindProject(request.ProjectArn!);
        var listing = "versions:" + project.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var before = _tokens.ReadLong(request.NextToken, listing);
        var rows = _versions.List(project.Id, request.VersionNames.Count > 0 ? request.VersionNames : null, before == 0 ? long.MaxValue : before, pageSize + 1);
        var response = new DescribeProjectVersionsResponse();
        foreach (var version in rows.Take(pageSize))
        {
            response.ProjectVersionDescriptions.Add(Describe(version));
        }

        response.NextToken = _tokens.NextAfter(rows, pageSize, listing, v => v.Id);
        return Task.FromResult(response);
    }

    public Task<DeleteProjectVersionResponse> DeleteProjectVersionAsync(DeleteProjectVersionRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var version = FindVersion(request.ProjectVersionArn);
        if (!_versions.TryTransition(version.Id, AllStatusesExcept(Busy), ProjectVersionStatus.DELETING.Value, "The model is being deleted."))
        {
            throw new ResourceInUseException(
                $"The model is {_versions.FindByArn(version.Arn)?.Status ?? version.Status}; stop it (or wait for training or copying to end) before deleting it.");
        }

        _versions.Delete(version);
        if (version.ArtifactKey is { } package)
        {
            TryDeleteObjects(package);
        }

        return Task.FromResult(new DeleteProjectVersionResponse { Status = ProjectVersionStatus.DELETING });
    }

    public Task<StartProjectVersionResponse> StartProjectVersionAsync(StartProjectVersionRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var version = FindVersion(request.ProjectVersionArn);
        var min = request.MinInferenceUnits ?? throw new InvalidParameterException("MinInferenceUnits is required: the number of inference units to start (1 or more).");
        if (min < 1)
        {
            throw new InvalidParameterException($"MinInferenceUnits must be 1 or more (got {min}).");
        }

        var max = request.MaxInferenceUnits ?? min;
        if (max < min)
        {
            throw new InvalidParameterException($"MaxInferenceUnits ({max}) must not be below MinInferenceUnits ({min}).");
        }

        if (max > _options.MaxInferenceUnits)
        {
            throw new LimitExceededException($"At most {_options.MaxInferenceUnits} inference units can run one model here (RekognitionOptions.MaxInferenceUnits); asked for {max}.");
        }

        if (version.Status is "TRAINING_FAILED" or "COPYING_FAILED")
        {
            throw new InvalidParameterException($"The model is {version.Status}: it has no trained model to start. Train a new version.");
        }

        if (!_versions.TryTransition(version.Id, Startable, ProjectVersionStatus.STARTING.Value, "The model is starting.", min, max, setUnits: true, hosting: true))
        {
            throw new ResourceInUseException($"The model is {_versions.FindByArn(version.Arn)?.Status ?? version.Status}; it can be started once it is trained and not running.");
        }

        _background.Start($"start {version.Arn}", async ct =>
        {
            try
            {
                var runtime = _runtime ?? throw new InvalidOperationException(
                    "No inference runtime is registered: reference Rekognition.Onnx and call services.AddRekognitionOnnxRuntime() (or pass an OnnxModelRuntime to the client).");
                var package = await _store.LoadModelPackageAsync(version.ArtifactKey ?? throw new InvalidOperationException("The model version has no artifacts."), ct).ConfigureAwait(false);
                var host = await runtime.StartAsync(package, new InferenceUnits(min, max), ct).ConfigureAwait(false);
                if (runtime is Feedback.FeedbackRecordingRuntime recording)
                {
                    host = recording.Record(host, version, package.Metadata, Feedback); // the version and this store's catalog
                }

                _running.Add(new RunningModel(version.Arn, package, host));
                if (!_versions.TryTransition(version.Id, new[] { ProjectVersionStatus.STARTING.Value }, ProjectVersionStatus.RUNNING.Value, "The model is running.", hosting: true))
                {
                    // Stopped while starting: the stop already moved it on; release what was loaded.
                    if (_running.Remove(version.Arn) is { } late)
                    {
                        await late.Host.DisposeAsync().ConfigureAwait(false);
                    }
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                _logger.LogError(ex, "Starting model {Arn} failed", version.Arn);
                _versions.TryTransition(version.Id, new[] { ProjectVersionStatus.STARTING.Value }, ProjectVersionStatus.FAILED.Value, $"The model could not be started: {HideMachinePaths(ex.Message)}");
            }
        });
        return Task.FromResult(new StartProjectVersionResponse { Status = ProjectVersionStatus.STARTING });
    }

    public Task<StopProjectVersionResponse> StopProjectVersionAsync(StopProjectVersionRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var version = FindVersion(request.ProjectVersionArn);
        if (!_versions.TryTransition(version.Id, new[] { ProjectVersionStatus.RUNNING.Value, ProjectVersionStatus.STARTING.Value },
                ProjectVersionStatus.STOPPING.Value, "The model is stopping.", hosting: true))
        {
            throw new ResourceInUseException($"The model is {_versions.FindByArn(version.Arn)?.Status ?? version.Status}; only a RUNNING or STARTING model can be stopped.");
        }

        _background.Start($"stop {version.Arn}", async _ =>
        {
            try
            {
                if (_running.Remove(version.Arn) is { } model)
                {
                    await model.Host.DisposeAsync().ConfigureAwait(false);
                }

                _versions.TryTransition(version.Id, new[] { ProjectVersionStatus.STOPPING.Value }, ProjectVersionStatus.STOPPED.Value, "The model has stopped running.");
            }
            catch (Exception ex)
            {
                _logger.LogError(ex, "Stopping model {Arn} failed", version.Arn);
                _versions.TryTransition(version.Id, new[] { ProjectVersionStatus.STOPPING.Value }, ProjectVersionStatus.FAILED.Value, $"The model could not be stopped cleanly: {ex.Message}");
            }
        });
        return Task.FromResult(new StopProjectVersionResponse { Status = ProjectVersionStatus.STOPPING });
    }

    /// <summary>
    /// Registers an ONNX model that follows the model package contract (an ONNX file and its model.json)
    /// as a new, trained version of a project: it can then be started, used, evaluated and exported like
    /// a version trained here. Not a service operation.
    /// </summary>
    public Task<ImportProjectVersionResponse> ImportProjectVersionAsync(ImportProjectVersionRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        RequestValidation.Arn(request.ProjectArn, "ProjectArn", ResourceKind.Project);
        var name = RequestValidation.ProjectName(request.VersionName, "VersionName");
        var modelPath = RequestValidation.Required(request.ModelPath, "ModelPath");
        RequestValidation.Tags(request.Tags);
        var package = ModelPackage.Load(modelPath, request.MetadataPath ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(modelPath))!, ModelPackage.MetadataFileName));
        _runtime?.Validate(package);
        var project = FindProject(request.ProjectArn!);

        var now = NowMs();
        var arn = ResourceArns.ProjectVersion(_options.Region, _options.AccountId, project.Name, name, now);
        var key = Storage.StoreLayout.ImportedModelPackage(project.Id, now, Guid.NewGuid());
        _store.PutModelPackageAsync(key, package, cancellationToken).GetAwaiter().GetResult();
        var details = new ProjectVersionDetails { VersionDescription = request.VersionDescription, TrainingEndMs = now };
        if (!_versions.TryInsert(project.Id, name, arn, now, ProjectVersionStatus.TRAINING_COMPLETED.Value, ReadyToRun, key, details))
        {
            TryDeleteObjects(key);
            throw new ResourceInUseException($"The project already has a version named '{name}'. Choose another VersionName.");
        }

        if (request.Tags.Count > 0)
        {
            _tags.TryPut(arn, request.Tags, MaxTagsPerResource);
        }

        return Task.FromResult(new ImportProjectVersionResponse { ProjectVersionArn = arn });
    }

    /// <summary>Copies a version's model package (model.onnx and model.json) into a folder. Not a service operation.</summary>
    public Task<ExportProjectVersionResponse> ExportProjectVersionAsync(ExportProjectVersionRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var version = FindVersion(request.ProjectVersionArn);
        var destination = RequestValidation.Required(request.DestinationDirectory, "DestinationDirectory");
        if (version.ArtifactKey is null || version.Status is "TRAINING_IN_PROGRESS" or "TRAINING_FAILED" or "COPYING_IN_PROGRESS" or "COPYING_FAILED")
        {
            throw new ResourceNotReadyException($"The model is {version.Status}: it has no model package to export.");
        }

        var exported = _store.LoadModelPackageAsync(version.ArtifactKey, cancellationToken).GetAwaiter().GetResult().CopyTo(destination);
        return Task.FromResult(new ExportProjectVersionResponse
        {
            ModelPath = exported.ModelPath,
            MetadataPath = Path.Combine(exported.Directory, ModelPackage.MetadataFileName),
        });
    }

    private ProjectVersionDescription Describe(VersionRecord version)
    {
        var d = version.Details;
        var running = _running.TryGet(version.Arn, out var model) ? model : null;
        return new ProjectVersionDescription
        {
            ProjectVersionArn = version.Arn,
            CreationTimestamp = FromMs(version.CreatedMs),
            Status = ProjectVersionStatus.FindValue(version.Status),
            StatusMessage = version.StatusMessage,
            MinInferenceUnits = version.MinUnits,
            MaxInferenceUnits = version.MaxUnits,
            DesiredInferenceUnits = running?.Host.DesiredInferenceUnits,
            InServiceInferenceUnits = running?.Host.InServiceInferenceUnits,
            BillableTrainingTimeInSeconds = d.BillableTrainingTimeInSeconds,
            TrainingEndTimestamp = d.TrainingEndMs is { } end ? FromMs(end) : null,
            OutputConfig = d.OutputConfig,
            TrainingDataResult = d.TrainingDataResult,
            TestingDataResult = d.TestingDataResult,
            EvaluationResult = d.EvaluationResult,
            ManifestSummary = d.ManifestSummary,
            KmsKeyId = d.KmsKeyId,
            SourceProjectVersionArn = d.SourceProjectVersionArn,
            VersionDescription = d.VersionDescription,
            Feature = CustomizationFeature.CUSTOM_LABELS,
        };
    }

    private VersionRecord FindVersion(string? arn)
    {
        RequestValidation.Arn(arn, "ProjectVersionArn", ResourceKind.ProjectVersion);
        return _versions.FindByArn(arn!)
               ?? throw new ResourceNotFoundException($"The model version {arn} does not exist. DescribeProjectVersions lists a project's versions.");
    }

    private static string[] AllStatusesExcept(string[] excluded) =>
        new[]
        {
            ProjectVersionStatus.TRAINING_IN_PROGRESS, ProjectVersionStatus.TRAINING_COMPLETED, ProjectVersionStatus.TRAINING_FAILED,
            ProjectVersionStatus.STARTING, ProjectVersionStatus.RUNNING, ProjectVersionStatus.FAILED, ProjectVersionStatus.STOPPING,
            ProjectVersionStatus.STOPPED, ProjectVersionStatus.COPYING_IN_PROGRESS, ProjectVersionStatus.COPYING_COMPLETED,
            ProjectVersionStatus.COPYING_FAILED, ProjectVersionStatus.DEPRECATED, ProjectVersionStatus.EXPIRED,
        }.Select(s => s.Value).Except(excluded).ToArray();
}
