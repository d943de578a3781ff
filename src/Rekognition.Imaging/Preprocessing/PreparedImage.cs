using Rekognition.Imaging.Decoding;

namespace Rekognition.Imaging.Preprocessing;

/// <summary>
/// An image decoded for a <see cref="TensorPreprocessor"/>: RGBA pixels, or a JPEG's raw YCbCr planes where the
/// decoder gives them (an <see cref="IYuvPlanarDecoder"/>). A struct, so holding one allocates nothing; dispose once.
/// </summary>
public readonly struct PreparedImage : IDisposable
{
    /// <summary>An image decoded to RGBA pixels.</summary>
    public PreparedImage(DecodedImage pixels)
    {
        Pixels = pixels;
    }

    /// <summary>A JPEG decoded to its raw Y, Cb, Cr planes.</summary>
    public PreparedImage(YuvImage planes)
    {
        Planes = planes;
    }

    /// <summary>The RGBA pixels, or null when the image holds planes.</summary>
    public DecodedImage? Pixels { get; }

    /// <summary>The YCbCr planes, or null when the image holds pixels.</summary>
    public YuvImage? Planes { get; }

    /// <summary>Returns the pixels' or planes' buffer.</summary>
    public void Dispose()
    {
        Pixels?.Dispose();
        Planes?.Dispose();
    }
}
