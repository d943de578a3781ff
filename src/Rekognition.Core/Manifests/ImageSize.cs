namespace Rekognition.Core.Manifests;

/// <summary>The <c>image_size</c> entry of an object-detection attribute, in pixels.</summary>
/// <param name="Width">Image width.</param>
/// <param name="Height">Image height.</param>
/// <param name="Depth">Channel count (3 for RGB); required by the format, not used.</param>
internal readonly record struct ImageSize(int Width, int Height, int Depth);
