using System.Buffers;
using System.Runtime.InteropServices;
using Rekognition.Core.Images;
using Rekognition.Core.Model;
using SkiaSharp;

namespace Rekognition.Imaging.Decoding;

/// <summary>
/// The default decoder: SkiaSharp (libjpeg-turbo and libpng). A JPEG much larger than the target is decoded
/// by the codec at 1/2, 1/4 or 1/8 scale, which skips most of the inverse DCT work. Everything that can be
/// told from the header (format, completeness, size, EXIF orientation) is checked before the codec runs, so a
/// small file declaring a huge image is refused without allocating for it. Thread-safe.
/// </summary>
public sealed class SkiaImageDecoder : IImageDecoder
{
    /// <summary>The default <see cref="MaxPixels"/>: 100 megapixels, above any camera photo, far below a decompression bomb.</summary>
    public const long DefaultMaxPixels = 100_000_000;

    /// <summary>A decoder that refuses images above <see cref="DefaultMaxPixels"/>.</summary>
    public SkiaImageDecoder()
        : this(DefaultMaxPixels)
    {
    }

    /// <summary>A decoder that refuses images whose header declares more than <paramref name="maxPixels"/> pixels.</summary>
    public SkiaImageDecoder(long maxPixels)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxPixels);
        MaxPixels = maxPixels;
    }

    /// <summary>The most pixels (width x height, as the header declares them) an image may have to be decoded.</summary>
    public long MaxPixels { get; }

    /// <inheritdoc />
    public ImageInfo Probe(ReadOnlySpan<byte> encoded) => DecodeChecks.ProbeOriented(encoded);

    /// <inheritdoc />
    /// <exception cref="ImageTooLargeException">The header declares more than <see cref="MaxPixels"/> pixels.</exception>
    public DecodedImage Decode(ReadOnlySpan<byte> encoded, int targetWidth = 0, int targetHeight = 0) =>
        DecodeChecked(encoded, DecodeChecks.Probe(encoded, MaxPixels), targetWidth, targetHeight);

    /// <inheritdoc />
    /// <exception cref="ImageTooLargeException">The header declares more than <see cref="MaxPixels"/> pixels.</exception>
    public DecodedImage Decode(ReadOnlySpan<byte> encoded, in ImageInfo header, int targetWidth, int targetHeight) =>
        DecodeChecked(encoded, DecodeChecks.Probe(encoded, header, MaxPixels), targetWidth, targetHeight);

    // info: the header, already checked (complete, within MaxPixels).
    private unsafe DecodedImage DecodeChecked(ReadOnlySpan<byte> encoded, ImageInfo info, int targetWidth, int targetHeight)
    {
        var orientation = ExifOrientation.Read(encoded, info.Format);
        var swap = OrientationTransform.SwapsAxes(orientation);
        fixed (byte* data = encoded)
        {
            // Wraps the caller's bytes without copying them; both die before the span is unpinned.
            using var skData = SKData.Create((IntPtr)data, encoded.Length);
            using var codec = SKCodec.Create(skData) ?? throw new InvalidImageFormatException("The image cannot be decoded: its header is damaged.");
            var stored = codec.Info.Size;
            DecodeChecks.CheckSize(stored.Width, stored.Height, MaxPixels);

            var size = ScaledSize(codec, stored, swap ? targetHeight : targetWidth, swap ? targetWidth : targetHeight);
            var decodeInfo = new SKImageInfo(size.Width, size.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
            var image = swap
                ? new DecodedImage(size.Height, size.Width, stored.Height, stored.Width)
                : new DecodedImage(size.Width, size.Height, stored.Width, stored.Height);
            try
            {
                if (orientation == Orientation.TopLeft)
                {
                    DecodeInto(codec, decodeInfo, image.Pixels);
                    return image;
                }

                var stagingBytes = size.Width * size.Height * 4;
                var staging = ArrayPool<byte>.Shared.Rent(stagingBytes);
                try
                {
                    DecodeInto(codec, decodeInfo, staging.AsSpan(0, stagingBytes));
                    OrientationTransform.Apply(MemoryMarshal.Cast<byte, uint>(staging.AsSpan(0, stagingBytes)), size.Width, size.Height, orientation, MemoryMarshal.Cast<byte, uint>(image.Pixels));
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(staging);
                }

                return image;
            }
            catch
            {
                image.Dispose();
                throw;
            }
        }
    }

    private static unsafe void DecodeInto(SKCodec codec, SKImageInfo decodeInfo, Span<byte> pixels)
    {
        SKCodecResult result;
        fixed (byte* p = pixels)
        {
            result = codec.GetPixels(decodeInfo, (IntPtr)p);
        }

        // IncompleteInput still fills what it could read; a truncated image is an invalid image for the service.
        if (result != SKCodecResult.Success)
        {
            throw new InvalidImageFormatException($"The image cannot be decoded ({result}): it is truncated or corrupt.");
        }
    }

    /// <summary>The smallest size the codec can decode to that still covers the target (the full size when none is given).</summary>
    private static SKSizeI ScaledSize(SKCodec codec, SKSizeI full, int targetWidth, int targetHeight)
    {
        if (targetWidth <= 0 || targetHeight <= 0)
        {
            return full;
        }

        var best = full;
        foreach (var scale in (ReadOnlySpan<float>)[0.5f, 0.25f, 0.125f])
        {
            var scaled = codec.GetScaledDimensions(scale);
            if (scaled.Width < targetWidth || scaled.Height < targetHeight)
            {
                break;
            }

            best = scaled;
        }

        return best;
    }
}
