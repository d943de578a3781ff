namespace Rekognition.Imaging.Decoding;

/// <summary>
/// An <see cref="IImageDecoderFactory"/> for one <see cref="ImageDecoderKind"/>: the decoder is made by
/// <see cref="ImageDecoders.Create"/> on first use and then shared.
/// </summary>
public sealed class ImageDecoderFactory : IImageDecoderFactory
{
    private readonly Lazy<IImageDecoder> _decoder;

    /// <summary>A factory for the decoder <paramref name="kind"/> names, refusing images above <paramref name="maxPixels"/> pixels.</summary>
    public ImageDecoderFactory(ImageDecoderKind kind = ImageDecoderKind.Auto, long maxPixels = SkiaImageDecoder.DefaultMaxPixels)
    {
        if (!Enum.IsDefined(kind))
        {
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a known image decoder.");
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxPixels);
        _decoder = new Lazy<IImageDecoder>(() => ImageDecoders.Create(kind, maxPixels));
        Kind = kind == ImageDecoderKind.Auto ? ImageDecoders.FastestKind : kind;
    }

    /// <summary>The fastest decoder present, with the default pixel limit: what code without DI uses.</summary>
    public static ImageDecoderFactory Default { get; } = new();

    /// <inheritdoc />
    public ImageDecoderKind Kind { get; }

    /// <inheritdoc />
    /// <exception cref="PlatformNotSupportedException">The decoder named needs a native library this machine cannot load.</exception>
    public IImageDecoder Decoder => _decoder.Value;
}
