using Rekognition.Core.Images;

namespace Rekognition.Imaging.Decoding;

/// <summary>Turns encoded JPEG or PNG bytes into RGBA pixels, the format told by the content alone.</summary>
public interface IImageDecoder
{
    /// <summary>Reads the format and size from the header without decoding pixels (EXIF orientation applied to the size).</summary>
    ImageInfo Probe(ReadOnlySpan<byte> encoded);

    /// <summary>
    /// Decodes to RGBA8888 (unpremultiplied), EXIF orientation applied. When <paramref name="targetWidth"/> and
    /// <paramref name="targetHeight"/> are given, a JPEG may be decoded at a reduced scale that still covers
    /// them (never smaller), which is much faster; the result says which size it has.
    /// </summary>
    /// <exception cref="Core.Model.InvalidImageFormatException">The bytes are not a complete PNG or JPEG.</exception>
    DecodedImage Decode(ReadOnlySpan<byte> encoded, int targetWidth = 0, int targetHeight = 0);

    /// <summary>
    /// As <see cref="Decode(ReadOnlySpan{byte}, int, int)"/>, given the header the caller already probed
    /// (<see cref="ImageHeaderProbe.Probe(ReadOnlySpan{byte})"/> of the same bytes) so the decoder need not read it again.
    /// A decoder that cannot use it decodes as without it (the default).
    /// </summary>
    /// <exception cref="Core.Model.InvalidImageFormatException">The bytes are not a complete PNG or JPEG.</exception>
    DecodedImage Decode(ReadOnlySpan<byte> encoded, in ImageInfo header, int targetWidth, int targetHeight) => Decode(encoded, targetWidth, targetHeight);
}
