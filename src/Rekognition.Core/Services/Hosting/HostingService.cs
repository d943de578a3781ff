using System.Buffers;
using Microsoft.Extensions.Logging;
using Rekognition.Core.Catalog;
using Rekognition.Core.Inference;
using Rekognition.Core.Model;
using Rekognition.Core.Requests;
using Rekognition.Core.Storage;

namespace Rekognition.Core.Services.Hosting;

/// <summary>
/// StartProjectVersion and StopProjectVersion mark a version STARTING or STOPPING in the catalog; every host with the
/// <c>serve</c> role loads or unloads it (<see cref="ServingSync"/>). DetectCustomLabels answers from the models this host
/// has loaded: a host without the <c>serve</c> role forwards nothing and answers ResourceNotReadyException, naming the role.
/// </summary>
internal sealed class HostingService(
    RekognitionOptions options,
    IVersionCatalog versions,
    IBillingCatalog billing,
    StoreClock clock,
    RunningModels running,
    ServingSync serving,
    DetectionImageReader images,
    ResourceLookup lookup,
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

        serving.Wake();
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

        billing.RecordStopped(version.Id, clock.NowMs()); // billed until the stop was asked, as the service does

        serving.Wake();
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

        var requestImage = RequestValidation.Required(request.Image, "Image");
        DetectionImageReader.Check(requestImage);
        var (image, rented) = requestImage.Bytes is { } bytes ? DetectionImageReader.ReadBytes(bytes) : (ReadOnlyMemory<byte>.Empty, null);
        try
        {
            // Bytes in the request are checked first; an image in a bucket is read only once the model can answer.
            var header = requestImage.Bytes is null ? default : DetectionImageCheck.Check(image.Span, options.Limits);
            var model = Served(request.ProjectVersionArn!);
            if (requestImage.Bytes is null)
            {
                image = await images.ReadS3ObjectAsync(requestImage.S3Object!, cancellationToken).ConfigureAwait(false);
                header = DetectionImageCheck.Check(image.Span, options.Limits);
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

    /// <summary>The model this host serves for <paramref name="versionArn"/>; ResourceNotFound or ResourceNotReady, saying why, when none.</summary>
    private RunningModel Served(string versionArn)
    {
        if (running.TryGet(versionArn, out var model))
        {
            return model;
        }

        var version = lookup.Version(versionArn);
        if (version.Status == ProjectVersionStatus.RUNNING.Value && !serving.Serves)
        {
            throw new ResourceNotReadyException(
                $"The model is RUNNING, but this host does not serve models (its roles are {serving.Roles}): send DetectCustomLabels to a host with the serve role.");
        }

        if (version.Status == ProjectVersionStatus.RUNNING.Value)
        {
            throw new ResourceNotReadyException("The model is RUNNING but this host has not loaded it yet (it loads running models within a poll interval). Retry shortly.");
        }

        throw new ResourceNotReadyException($"The model is {version.Status}, not RUNNING. Start it with StartProjectVersion and wait for RUNNING.");
    }
}