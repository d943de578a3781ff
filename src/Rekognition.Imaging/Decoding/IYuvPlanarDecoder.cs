using Rekognition.Core.Images;

namespace Rekognition.Imaging.Decoding;

/// <summary>
/// A decoder that can give a JPEG's raw Y, Cb, Cr planes (the preprocessor then upsamples the chroma and converts the
/// colours at the model's input size, which is faster than a full RGB decode). <see cref="Preprocessing.TensorPreprocessor"/>
/// takes this path for any decoder with this capability, so a decoder that wraps another (to count, cache or log)
/// keeps the fast path by implementing this interface and forwarding to the one it wraps.
/// </summary>
public interface IYuvPlanarDecoder
{
    /// <summary>
    /// Decodes <paramref name="encoded"/> to its Y, Cb, Cr planes at the smallest scale that still covers the target,
    /// or returns null where that path does not apply (not a JPEG, not YCbCr, an unusual subsampling, an EXIF
    /// orientation to apply); the caller then decodes to RGBA with <see cref="IImageDecoder.Decode(ReadOnlySpan{byte}, int, int)"/>.
    /// </summary>
    /// <exception cref="Core.Model.InvalidImageFormatException">The bytes are not a complete JPEG.</exception>
    /// <exception cref="Core.Model.ImageTooLargeException">The header declares more pixels than the decoder allows.</exception>
    YuvImage? TryDecodeYuv(ReadOnlySpan<byte> encoded, int targetWidth, int targetHeight);

    /// <summary>As <see cref="TryDecodeYuv(ReadOnlySpan{byte}, int, int)"/>, given the header the caller already probed (see <see cref="IImageDecoder.Decode(ReadOnlySpan{byte}, in ImageInfo, int, int)"/>).</summary>
    YuvImage? TryDecodeYuv(ReadOnlySpan<byte> encoded, in ImageInfo header, int targetWidth, int targetHeight) => TryDecodeYuv(encoded, targetWidth, targetHeight);
}
