using Rekognition.Core.Images;
using Rekognition.Core.Models;

namespace Rekognition.Core.Inference;

/// <summary>
/// The inference backend: loads a model package and hosts it on a number of inference units.
/// Rekognition.Onnx provides the ONNX Runtime implementation; the client finds it through DI.
/// </summary>
public interface IModelRuntime
{
    /// <summary>Checks that the ONNX file fits its metadata (input and output names, shapes, ops); throws <see cref="Model.InvalidParameterException"/> when not.</summary>
    void Validate(ModelPackage package);

    /// <summary>Loads the model on <paramref name="units"/>.Min inference units, able to grow to Max under load.</summary>
    Task<IModelHost> StartAsync(ModelPackage package, InferenceUnits units, CancellationToken cancellationToken);
}

/// <summary>The inference units a model runs on: a floor, and a ceiling for automatic scaling.</summary>
/// <param name="Min">Units started (and kept) while the model runs.</param>
/// <param name="Max">Most units it may grow to under load.</param>
public readonly record struct InferenceUnits(int Min, int Max);

/// <summary>A model running on its inference units.</summary>
public interface IModelHost : IAsyncDisposable
{
    /// <summary>
    /// Runs the model on one encoded image (already checked for format and size) and returns every
    /// candidate label with its score; boxes as ratios of the image for detection models.
    /// </summary>
    ValueTask<IReadOnlyList<LabelPrediction>> DetectAsync(ReadOnlyMemory<byte> encodedImage, CancellationToken cancellationToken);

    /// <summary>
    /// As <see cref="DetectAsync(ReadOnlyMemory{byte}, CancellationToken)"/>, given the image's header as the caller
    /// already probed and checked it (<see cref="ImageHeaderProbe.Probe(ReadOnlySpan{byte})"/>), so the host need not
    /// read it again. A host that cannot use it detects as without it (the default).
    /// </summary>
    ValueTask<IReadOnlyList<LabelPrediction>> DetectAsync(ReadOnlyMemory<byte> encodedImage, ImageInfo header, CancellationToken cancellationToken) =>
        DetectAsync(encodedImage, cancellationToken);

    /// <summary>Units the host is scaling towards.</summary>
    int DesiredInferenceUnits { get; }

    /// <summary>Units loaded and serving.</summary>
    int InServiceInferenceUnits { get; }
}

/// <summary>One predicted label: its index in the package's label list, its score in 0..1, and its box when the model locates objects.</summary>
public readonly record struct LabelPrediction(int LabelIndex, float Score, NormalizedBox? Box = null);

/// <summary>A box as ratios of the image's width (Left, Width) and height (Top, Height), origin top-left.</summary>
public readonly record struct NormalizedBox(float Left, float Top, float Width, float Height);
