using Microsoft.Extensions.DependencyInjection;
using Rekognition.Core.Inference;
using Rekognition.Core.Model;
using Rekognition.Core.Services;
using Rekognition.Core.Storage;

namespace Rekognition.Core.QuickTest;

/// <summary>Loads the version's package on one unit of its own, answers, and unloads it: nothing shared with the running versions.</summary>
internal sealed class QuickTestClient(IServiceProvider services, RekognitionOptions options, Store store, ResourceLookup lookup) : IQuickTestClient
{
    /// <inheritdoc />
    public async Task<List<CustomLabel>> QuickTestAsync(string projectVersionArn, ReadOnlyMemory<byte> image, float? minConfidence = null, CancellationToken cancellationToken = default)
    {
        if (minConfidence is < 0 or > 100)
        {
            throw new InvalidParameterException("MinConfidence must be between 0 and 100.");
        }

        var header = DetectionImageCheck.Check(image.Span, options.Limits);
        var version = lookup.Version(projectVersionArn);
        if (version.ArtifactKey is null)
        {
            throw new ResourceNotReadyException($"The version is {version.Status} and has no trained model to test; wait for TRAINING_COMPLETED.");
        }

        var runtime = services.GetService<IModelRuntime>()
            ?? throw new InvalidOperationException("No model runtime is registered: add AddRekognitionOnnxRuntime() (Rekognition.Onnx) to run models.");
        var package = await store.LoadModelPackageAsync(version.ArtifactKey, cancellationToken).ConfigureAwait(false);
        var host = await runtime.StartAsync(package, new InferenceUnits(1, 1), cancellationToken).ConfigureAwait(false);
        await using (host.ConfigureAwait(false))
        {
            var predictions = await host.DetectAsync(image, header, cancellationToken).ConfigureAwait(false);
            return CustomLabelFilter.Apply(predictions, package.Metadata, minConfidence, null);
        }
    }
}
