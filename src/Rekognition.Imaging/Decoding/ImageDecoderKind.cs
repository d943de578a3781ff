namespace Rekognition.Imaging.Decoding;

/// <summary>Which <see cref="IImageDecoder"/> to use (see <see cref="ImageDecoders.Create"/>).</summary>
public enum ImageDecoderKind
{
    /// <summary>The fastest one present on this machine: libjpeg-turbo, then SkiaSharp, then ImageSharp.</summary>
    Auto,

    /// <summary><see cref="TurboJpegImageDecoder"/>: the system's libjpeg-turbo for JPEG (fastest; needs libturbojpeg).</summary>
    TurboJpeg,

    /// <summary><see cref="SkiaImageDecoder"/>: SkiaSharp's bundled native library, with scaled JPEG decode.</summary>
    SkiaSharp,

    /// <summary><see cref="ImageSharpImageDecoder"/>: fully managed, for platforms where no native decoder loads.</summary>
    ImageSharp,
}
