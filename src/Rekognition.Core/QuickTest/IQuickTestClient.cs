using Rekognition.Core.Model;

namespace Rekognition.Core.QuickTest;

/// <summary>
/// A quick test (not a service operation; Custom Vision has one): any trained version labels an image in a temporary
/// session, without StartProjectVersion and without inference units. Registered by AddRekognitionCustomLabels.
/// </summary>
public interface IQuickTestClient
{
    /// <summary>
    /// The labels the version finds in <paramref name="image"/>, as DetectCustomLabels answers them (same image rules and
    /// errors, same filter: without <paramref name="minConfidence"/> the version's assumed thresholds decide).
    /// </summary>
    /// <exception cref="InvalidImageFormatException">The bytes are not a PNG or JPEG.</exception>
    /// <exception cref="ResourceNotReadyException">The version has no trained model.</exception>
    Task<List<CustomLabel>> QuickTestAsync(string projectVersionArn, ReadOnlyMemory<byte> image, float? minConfidence = null, CancellationToken cancellationToken = default);
}
