using Rekognition.Imaging.Decoding;

namespace Rekognition.Imaging.Preprocessing;

/// <summary>
/// An image decoded for a <see cref="TensorPreprocessor"/>: RGBA pixels, or a JPEG's raw YCbCr planes where the
/// decoder gives them (<see cref="TurboJpegImageDecoder"/>). A struct, so holding one allocates nothing; dispose once.
/// </summary>
internal readonly struct PreparedImage : IDisposable
{
    public PreparedImage(DecodedImage pixels)
    {
        Pixels = pixels;
    }

    public PreparedImage(YuvImage planes)
    {
        Planes = planes;
    }

    public DecodedImage? Pixels { get; }

    public YuvImage? Planes { get; }

    public void Dispose()
    {
        Pixels?.Dispose();
        Planes?.Dispose();
    }
}
