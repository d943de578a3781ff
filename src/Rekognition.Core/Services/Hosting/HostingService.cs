using System.Buffers;
using Microsoft.Extensions.Logging;
using Rekognition.Core.Catalog;
using Rekognition.Core.Inference;
using Rekognition.Core.Model;
using Rekognition.Core.Requests;
using Rekognition.Core.Storage;

namespace Rekognition.Core.Services.Hosting;

/// <summary>StartProjectVersion, StopProjectVersion and DetectCustomLabels: the versions this process hosts.</summary>
internal sealed class HostingService(
    RekognitionOptions options,
    Store store,
    IVersionCatalog versions,
    RunningModels running,
    BackgroundOperations background,
    DetectionImageReader images,
    ResourceLookup lookup,
    CallerMessages messages,
    ILogger<HostingService> logger,
    IModelRuntime? runtime = null)
{
    private static readonly string[] Startable =
    {
        ProjectVersionStatus.TRAINING_COMPLETED.Value, ProjectVersionStatus.COPYING_COMPLETED.Value,
        ProjectVersionStatus.STOPPED.Value, ProjectVersionStatus.FAILED.Value,
    };

    /// <summary>The inference backend (Rekognition.Onnx registers one); null when none is registered.</summary>
    public IModelRuntime? Runtime => runtime;

    public StartProjectVersionResponse Start(StartProjectVersionRequest request)
    {
        var version = lookup.Version(request.ProjectVersionArn);
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

        if (max > options.MaxInferenceUnits)
        {
            throw new LimitExceededException($"At most {options.MaxInferenceUnits} inference units can run one model here (RekognitionOptions.MaxInferenceUnits); asked for {max}.");
        }

        if (version.Status is "TRAINING_FAILED" or "COPYING_FAILED")
        {
            throw new InvalidParameterException($"The model is {version.Status}: it has no trained model to start. Train a new version.");
        }

        if (!versions.TryTransition(version.Id, Startable, ProjectVersionStatus.STARTING.Value, "The model is starting.", min, max, setUnits: true))
        {
            throw new ResourceInUseException($"The model is {versions.FindByArn(version.Arn)?.Status ?? version.Status}; it can be started once it is trained and not running.");
        }

        background.Start($"start {version.Arn}", async ct =>
        {
            try
            {
                var backend = runtime ?? throw new InvalidOperationException(
                    "No inference runtime is registered: reference Rekognition.Onnx and call services.AddRekognitionOnnxRuntime() (or pass an OnnxModelRuntime to the client).");
                var package = await store.LoadModelPackageAsync(version.ArtifactKey ?? throw new InvalidOperationException("The model version has no artifacts."), ct).ConfigureAwait(false);
                var host = await backend.StartAsync(package, new InferenceUnits(min, max), ct).ConfigureAwait(false);
                if (backend is Feedback.FeedbackRecordingRuntime recording)
                {
                    host = recording.Record(host, version, package.Metadata, store.Feedback); // the version and this store's catalog
                }

                running.Add(new RunningModel(version.Arn, package, host));
                if (!versions.TryTransition(version.Id, new[] { ProjectVersionStatus.STARTING.Value }, ProjectVersionStatus.RUNNING.Value, "The model is running."))
                {
                    // Stopped while starting: the stop already moved it on; release what was loaded.
                    if (running.Remove(version.Arn) is { } late)
                    {
                        await late.Host.DisposeAsync().ConfigureAwait(false);
                    }
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Starting model {Arn} failed", version.Arn);
                versions.TryTransition(version.Id, new[] { ProjectVersionStatus.STARTING.Value }, ProjectVersionStatus.FAILED.Value, $"The model could not be started: {messages.HideMachinePaths(ex.Message)}");
            }
        });
        return new StartProjectVersionResponse { Status = ProjectVersionStatus.STARTING };
    }

    public StopProjectVersionResponse Stop(StopProjectVersionRequest request)
    {
        var version = lookup.Version(request.ProjectVersionArn);
        if (!versions.TryTransition(version.Id, new[] { ProjectVersionStatus.RUNNING.Value, ProjectVersionStatus.STARTING.Value },
                ProjectVersionStatus.STOPPING.Value, "The model is stopping."))
        {
            throw new ResourceInUseException($"The model is {versions.FindByArn(version.Arn)?.Status ?? version.Status}; only a RUNNING or STARTING model can be stopped.");
        }

        background.Start($"stop {version.Arn}", async _ =>
        {
            try
            {
                if (running.Remove(version.Arn) is { } model)
                {
                    await model.Host.DisposeAsync().ConfigureAwait(false);
                }

                versions.TryTransition(version.Id, new[] { ProjectVersionStatus.STOPPING.Value }, ProjectVersionStatus.STOPPED.Value, "The model has stopped running.");
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Stopping model {Arn} failed", version.Arn);
                versions.TryTransition(version.Id, new[] { ProjectVersionStatus.STOPPING.Value }, ProjectVersionStatus.FAILED.Value, $"The model could not be stopped cleanly: {ex.Message}");
            }
        });
        return new StopProjectVersionResponse { Status = ProjectVersionStatus.STOPPING };
    }

    public async Task<DetectCustomLabelsResponse> DetectAsync(DetectCustomLabelsRequest request, CancellationToken cancellationToken)
    {
        RequestValidation.Arn(request.ProjectVersionArn, "ProjectVersionArn", Arns.ResourceKind.ProjectVersion);
        using var detecting = Diagnostics.RekognitionTelemetry.StartDetect(request.ProjectVersionArn!);
        if (request.MinConfidence is { } min && (float.IsNaN(min) || min < 0 || min > 100))
        {
            throw new InvalidParameterException($"MinConfidence must be between 0 and 100 (got {min}).");
        }

        if (request.MaxResults < 0)
        {
            throw new InvalidParameterException($"MaxResults must be 0 or more (got {request.MaxResults}).");
        }

        var (image, rented) = images.Read(RequestValidation.Required(request.Image, "Image"));
        try
        {
            var header = DetectionImageCheck.Check(image.Span, options.Limits);

            if (!running.TryGet(request.ProjectVersionArn!, out var model))
            {
                var version = lookup.Version(request.ProjectVersionArn);
                throw new ResourceNotReadyException($"The model is {version.Status}, not RUNNING. Start it with StartProjectVersion and wait for RUNNING.");
            }

            IReadOnlyList<LabelPrediction> predictions;
            try
            {
                predictions = await model.Host.DetectAsync(image, header, cancellationToken).ConfigureAwait(false);
            }
            catch (ObjectDisposedException)
            {
                throw new ResourceNotReadyException("The model stopped while the image was being analysed. Start it again with StartProjectVersion.");
            }

            var labels = CustomLabelFilter.Apply(predictions, model.Package.Metadata, request.MinConfidence, request.MaxResults);
            detecting?.SetTag(Diagnostics.RekognitionTelemetry.LabelCountTag, labels.Count);
            return new DetectCustomLabelsResponse { CustomLabels = labels };
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }
}
