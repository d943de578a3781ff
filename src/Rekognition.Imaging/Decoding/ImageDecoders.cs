using SkiaSharp;

namespace Rekognition.Imaging.Decoding;

/// <summary>
/// Chooses an image decoder: the one configured, or the fastest present. Measured on one 1080p JPEG decoded for a
/// 224x224 input: libjpeg-turbo's SIMD scaled decode first, then SkiaSharp's scaled decode (its libjpeg-turbo has no
/// SIMD), then ImageSharp, which has no scaled decode (1.7x SkiaSharp's time) but needs no native library. The only
/// code that constructs a decoder: everything else gets one from an <see cref="IImageDecoderFactory"/>.
/// </summary>
public static class ImageDecoders
{
    private static readonly Lazy<bool> s_skiaLoads = new(() =>
    {
        try
        {
            return SkiaSharpVersion.Native.Major > 0;
        }
        catch (Exception ex) when (ex is DllNotFoundException or TypeInitializationException or EntryPointNotFoundException or BadImageFormatException)
        {
            return false;
        }
    });

    /// <summary>Whether SkiaSharp's native library loads on this machine.</summary>
    public static bool SkiaSharpIsAvailable => s_skiaLoads.Value;

    /// <summary>The decoder <paramref name="kind"/> names, refusing images above <paramref name="maxPixels"/> pixels.</summary>
    /// <exception cref="PlatformNotSupportedException">The decoder named needs a native library this machine cannot load.</exception>
    public static IImageDecoder Create(ImageDecoderKind kind = ImageDecoderKind.Auto, long maxPixels = SkiaImageDecoder.DefaultMaxPixels) => kind switch
    {
        ImageDecoderKind.Auto => Fastest(maxPixels),
        ImageDecoderKind.TurboJpeg => new TurboJpegImageDecoder(maxPixels),
        ImageDecoderKind.SkiaSharp => SkiaSharpIsAvailable
            ? new SkiaImageDecoder(maxPixels)
            : throw new PlatformNotSupportedException("SkiaSharp's native library cannot be loaded on this machine; use the ImageSharp decoder."),
        ImageDecoderKind.ImageSharp => new ImageSharpImageDecoder(maxPixels),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a known image decoder."),
    };

    /// <summary>The decoder <see cref="ImageDecoderKind.Auto"/> stands for on this machine.</summary>
    public static ImageDecoderKind FastestKind =>
        TurboJpegImageDecoder.IsAvailable ? ImageDecoderKind.TurboJpeg : SkiaSharpIsAvailable ? ImageDecoderKind.SkiaSharp : ImageDecoderKind.ImageSharp;

    /// <summary>The fastest decoder present: libjpeg-turbo (PNG through the next one), SkiaSharp, else ImageSharp.</summary>
    public static IImageDecoder Fastest(long maxPixels = SkiaImageDecoder.DefaultMaxPixels) =>
        TurboJpegImageDecoder.IsAvailable ? new TurboJpegImageDecoder(maxPixels) : WithoutTurboJpeg(maxPixels);

    /// <summary>The fastest decoder that needs no libjpeg-turbo (what <see cref="TurboJpegImageDecoder"/> hands PNG to).</summary>
    internal static IImageDecoder WithoutTurboJpeg(long maxPixels) =>
        SkiaSharpIsAvailable ? new SkiaImageDecoder(maxPixels) : new ImageSharpImageDecoder(maxPixels);
}
