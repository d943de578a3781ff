using Microsoft.Extensions.Caching.Memory;
using Rekognition.Core.Editing;
using Rekognition.Core.Model;
using Rekognition.Imaging.Decoding;
using SkiaSharp;

namespace Rekognition.Server.Console;

/// <summary>
/// Gallery thumbnails: the entry's image decoded by the same decoders as training and serving (a JPEG at a reduced
/// scale when that still covers the thumbnail), scaled to fit <see cref="Side"/> px and encoded as a small JPEG. Each
/// is made once per store: kept in the store's objects (so another host, or this one after a restart, reads it back
/// instead of decoding the image) with a size-bounded memory cache in front, so a page seen again costs a lookup.
/// </summary>
internal sealed class Thumbnails(IDatasetEditorClient editor, IImageDecoderFactory decoders) : IDisposable
{
    /// <summary>The longest side of a thumbnail, px.</summary>
    public const int Side = 192;

    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = 64L << 20 });

    /// <summary>The thumbnail of an entry's image (cached).</summary>
    public async Task<byte[]> GetAsync(string datasetArn, string sourceRef, CancellationToken cancellationToken)
    {
        var key = datasetArn + "\n" + sourceRef;
        if (_cache.TryGetValue(key, out byte[]? cached) && cached is not null)
        {
            return cached;
        }

        var stored = await editor.FindThumbnailAsync(datasetArn, sourceRef, Side, cancellationToken).ConfigureAwait(false);
        if (stored is not null)
        {
            Remember(key, stored);
            return stored;
        }

        byte[] encoded;
        var stream = await editor.OpenImageAsync(datasetArn, sourceRef, cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            encoded = new byte[stream.Length];
            await stream.ReadExactlyAsync(encoded, cancellationToken).ConfigureAwait(false);
        }

        var jpeg = Make(encoded);
        await editor.StoreThumbnailAsync(datasetArn, sourceRef, Side, jpeg, cancellationToken).ConfigureAwait(false);
        Remember(key, jpeg);
        return jpeg;
    }

    private void Remember(string key, byte[] jpeg) =>
        _cache.Set(key, jpeg, new MemoryCacheEntryOptions { Size = jpeg.Length, SlidingExpiration = TimeSpan.FromMinutes(30) });

    /// <summary>The thumbnail of an encoded image.</summary>
    internal byte[] Make(byte[] encoded)
    {
        var header = decoders.Decoder.Probe(encoded);
        if (!header.IsOk)
        {
            throw new InvalidImageFormatException("The entry's image is neither a complete PNG nor a complete JPEG.");
        }

        var scale = Math.Min(1.0, (double)Side / Math.Max(header.Width, header.Height));
        var width = Math.Max(1, (int)Math.Round(header.Width * scale));
        var height = Math.Max(1, (int)Math.Round(header.Height * scale));
        using var decoded = decoders.Decoder.Decode(encoded, header, width, height);
        using var source = new SKBitmap(new SKImageInfo(decoded.Width, decoded.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        decoded.Pixels.CopyTo(source.GetPixelSpan());
        using var small = source.Resize(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul), new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear))
            ?? throw new InvalidImageFormatException("The entry's image could not be scaled.");
        using var image = SKImage.FromBitmap(small);
        using var data = image.Encode(SKEncodedImageFormat.Jpeg, 80);
        return data.ToArray();
    }

    public void Dispose() => _cache.Dispose();
}
