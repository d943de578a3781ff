using Microsoft.Extensions.DependencyInjection;
using Rekognition.Core.Inference;
using Rekognition.Core.Model;
using Rekognition.Core.Services;
using Rekognition.Core.Storage;

namespace Rekognition.Core.QuickTest;

/// <summary>
/// Runs the version's package on one unit of its own, nothing shared with the running versions; the session is kept
/// for the next quick test of the same version and package (bounded, see <see cref="QuickTestSessions"/>).
/// </summary>
internal sealed class QuickTestClient(IServiceProvider services, RekognitionOptions options, Store store, ResourceLookup lookup, QuickTestSessions sessions) : IQuickTestClient
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
        if (version.ArtifactKey is not { } packageKey)
        {
            throw new ResourceNotReadyException($"The version is {version.Status} and has no trained model to test; wait for TRAINING_COMPLETED.");
        }

        var runtime = services.GetService<IModelRuntime>()
            ?? throw new InvalidOperationException("No model runtime is registered: add AddRekognitionOnnxRuntime() (Rekognition.Onnx) to run models.");
        return await sessions.UseAsync(version.Arn, packageKey, async () =>
        {
            // Started for the cache, not for this request: a caller that gives up does not cancel it for the next one.
            var package = await store.LoadModelPackageAsync(packageKey, CancellationToken.None).ConfigureAwait(false);
            return (package, await runtime.StartAsync(package, new InferenceUnits(1, 1), CancellationToken.None).ConfigureAwait(false));
        }, async (package, host) =>
        {
            var predictions = await host.DetectAsync(image, header, cancellationToken).ConfigureAwait(false);
            return CustomLabelFilter.Apply(predictions, package.Metadata, minConfidence, null);
        }).ConfigureAwait(false);
    }
}
