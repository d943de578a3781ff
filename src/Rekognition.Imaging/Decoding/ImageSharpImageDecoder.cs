using System.Buffers;
using System.Runtime.InteropServices;
using Rekognition.Core.Images;
using Rekognition.Core.Model;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Memory;
using SixLabors.ImageSharp.PixelFormats;

namespace Rekognition.Imaging.Decoding;

/// <summary>
/// A fully managed decoder (SixLabors ImageSharp 2.1), for platforms where the native decoders (SkiaSharp's library,
/// the system's libjpeg-turbo) do not load. The same header checks (before the codec runs) and EXIF orientation as the
/// others, and a PNG's chunk checksums are checked first (ImageSharp would decode a damaged PNG leniently, where libpng
/// refuses it). ImageSharp 2 has no scaled JPEG decode, so the target size is not used: images always come at full size
/// (a 1080p JPEG takes about as long as SkiaSharp's full decode and 1.7x its 1/4-scaled one), which is why it is the
/// last choice of <see cref="ImageDecoders.Fastest"/>. Thread-safe.
/// </summary>
public sealed class ImageSharpImageDecoder : IImageDecoder
{
    // JPEG and PNG only: the header probe refuses every other format before ImageSharp would see it, and a
    // configuration without the others keeps their decoders out of reach.
    private static readonly Configuration s_configuration = new(new JpegConfigurationModule(), new PngConfigurationModule())
    {
        PreferContiguousImageBuffers = true,
    };

    /// <summary>A decoder that refuses images above <see cref="SkiaImageDecoder.DefaultMaxPixels"/>.</summary>
    public ImageSharpImageDecoder()
        : this(SkiaImageDecoder.DefaultMaxPixels)
    {
    }

    /// <summary>A decoder that refuses images whose header declares more than <paramref name="maxPixels"/> pixels.</summary>
    public ImageSharpImageDecoder(long maxPixels)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxPixels);
        MaxPixels = maxPixels;
    }

    /// <summary>The most pixels (width x height, as the header declares them) an image may have to be decoded.</summary>
    public long MaxPixels { get; }

    /// <inheritdoc />
    public ImageInfo Probe(ReadOnlySpan<byte> encoded) => DecodeChecks.ProbeOriented(encoded);

    /// <inheritdoc />
    /// <remarks>Always decodes at full size: ImageSharp 2 cannot decode a JPEG at a reduced scale.</remarks>
    /// <exception cref="ImageTooLargeException">The header declares more than <see cref="MaxPixels"/> pixels.</exception>
    public DecodedImage Decode(ReadOnlySpan<byte> encoded, int targetWidth = 0, int targetHeight = 0) =>
        DecodeChecked(encoded, DecodeChecks.Probe(encoded, MaxPixels));

    /// <inheritdoc />
    /// <exception cref="ImageTooLargeException">The header declares more than <see cref="MaxPixels"/> pixels.</exception>
    public DecodedImage Decode(ReadOnlySpan<byte> encoded, in ImageInfo header, int targetWidth, int targetHeight) =>
        DecodeChecked(encoded, DecodeChecks.Probe(encoded, header, MaxPixels));

    // info: the header, already checked (complete, within MaxPixels). Always full size (no scaled decode).
    private DecodedImage DecodeChecked(ReadOnlySpan<byte> encoded, ImageInfo info)
    {
        var orientation = ExifOrientation.Read(encoded, info.Format);
        if (info.Format == ImageFormat.Png)
        {
            PngChunks.CheckIntegrity(encoded);
        }

        Image<Rgba32> decoded;
        try
        {
            decoded = SixLabors.ImageSharp.Image.Load<Rgba32>(s_configuration, encoded);
        }
        catch (Exception ex) when (ex is ImageFormatException or InvalidMemoryOperationException or NotSupportedException)
        {
            throw new InvalidImageFormatException("The image cannot be decoded: it is truncated or corrupt.", ex);
        }

        using (decoded)
        {
            var (width, height) = (decoded.Width, decoded.Height);
            DecodeChecks.CheckSize(width, height, MaxPixels);
            var image = OrientationTransform.SwapsAxes(orientation)
                ? new DecodedImage(height, width, height, width)
                : new DecodedImage(width, height, width, height);
            try
            {
                if (orientation == Orientation.TopLeft)
                {
                    decoded.CopyPixelDataTo(image.Pixels);
                    return image;
                }

                var stagingBytes = width * height * 4;
                var staging = ArrayPool<byte>.Shared.Rent(stagingBytes);
                try
                {
                    decoded.CopyPixelDataTo(staging.AsSpan(0, stagingBytes));
                    OrientationTransform.Apply(MemoryMarshal.Cast<byte, uint>(staging.AsSpan(0, stagingBytes)), width, height, orientation, MemoryMarshal.Cast<byte, uint>(image.Pixels));
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
}
