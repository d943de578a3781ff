using Rekognition.Core.Models;
using Rekognition.Imaging.Decoding;

namespace Rekognition.Onnx.Detection;

/// <summary>
/// A model loaded for direct use, without the catalog or the client: images in, labels out. Confidence
/// filtering follows DetectCustomLabels: without <c>minConfidence</c> each label's assumed threshold
/// applies; with it, that value (0-100) for every label; highest confidence first, cut to <c>maxResults</c>.
/// </summary>
public interface IDetector : IDisposable
{
    /// <summary>The model's metadata: labels, input, output format, thresholds.</summary>
    ModelPackageMetadata Metadata { get; }

    /// <summary>Detects labels in an encoded JPEG or PNG image.</summary>
    IReadOnlyList<DetectedLabel> Detect(ReadOnlySpan<byte> encodedImage, float? minConfidence = null, int? maxResults = null);

    /// <summary>Detects labels in an encoded JPEG or PNG image read from <paramref name="image"/> to its end.</summary>
    IReadOnlyList<DetectedLabel> Detect(Stream image, float? minConfidence = null, int? maxResults = null);

    /// <summary>Detects labels in an image already decoded (at any size; it is resized to the model's input).</summary>
    IReadOnlyList<DetectedLabel> Detect(DecodedImage image, float? minConfidence = null, int? maxResults = null);
}
