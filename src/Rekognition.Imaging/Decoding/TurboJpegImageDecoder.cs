using System.Buffers;
using System.Runtime.InteropServices;
using Rekognition.Core.Images;
using Rekognition.Core.Model;

namespace Rekognition.Imaging.Decoding;

/// <summary>
/// Decodes JPEG through the system's libjpeg-turbo (its TurboJPEG library, with SIMD kernels: the one OpenCV
/// uses), about twice as fast as SkiaSharp's built-in copy, which has none; PNG goes to <see cref="SkiaImageDecoder"/>,
/// or to <see cref="ImageSharpImageDecoder"/> where SkiaSharp's native library does not load. Same checks, orientation
/// and scaled decode as <see cref="SkiaImageDecoder"/>. Usable only where
/// <see cref="IsAvailable"/> (Debian/Ubuntu: the libturbojpeg0 package). Thread-safe.
/// </summary>
public sealed class TurboJpegImageDecoder : IImageDecoder, IYuvPlanarDecoder
{
    private readonly IImageDecoder _others;
    private readonly TurboJpegLibrary _turbo;

    /// <summary>A decoder that refuses images above <see cref="SkiaImageDecoder.DefaultMaxPixels"/>.</summary>
    /// <exception cref="PlatformNotSupportedException">No libturbojpeg can be loaded (see <see cref="IsAvailable"/>).</exception>
    public TurboJpegImageDecoder()
        : this(SkiaImageDecoder.DefaultMaxPixels)
    {
    }

    /// <summary>A decoder that refuses images whose header declares more than <paramref name="maxPixels"/> pixels.</summary>
    /// <exception cref="PlatformNotSupportedException">No libturbojpeg can be loaded (see <see cref="IsAvailable"/>).</exception>
    public TurboJpegImageDecoder(long maxPixels)
    {
        _turbo = TurboJpegLibrary.Instance ?? throw new PlatformNotSupportedException("No TurboJPEG library (libturbojpeg 2.0 or later) can be loaded on this machine; use SkiaImageDecoder.");
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxPixels);
        MaxPixels = maxPixels;
        _others = ImageDecoders.WithoutTurboJpeg(maxPixels);
    }

    /// <summary>Whether this machine has a TurboJPEG library this decoder can load.</summary>
    public static bool IsAvailable => TurboJpegLibrary.Instance is not null;

    /// <summary>The most pixels (width x height, as the header declares them) an image may have to be decoded.</summary>
    public long MaxPixels { get; }

    /// <inheritdoc />
    public ImageInfo Probe(ReadOnlySpan<byte> encoded) => DecodeChecks.ProbeOriented(encoded);

    /// <summary>
    /// Decodes a YCbCr JPEG to its raw Y, Cb, Cr planes at the smallest scale that still covers the target, skipping
    /// libjpeg's chroma upsampling and colour conversion (the preprocessor does both at the model's input size).
    /// Same checks as <see cref="Decode(ReadOnlySpan{byte}, int, int)"/>. Null where that path does not apply: not a JPEG, not YCbCr, a subsampling
    /// other than 4:4:4, 4:2:2, 4:2:0 or 4:4:0, or an EXIF orientation to apply; the caller then uses <see cref="Decode(ReadOnlySpan{byte}, int, int)"/>.
    /// </summary>
    /// <exception cref="InvalidImageFormatException">The bytes are not a complete JPEG.</exception>
    /// <exception cref="ImageTooLargeException">The header declares more than <see cref="MaxPixels"/> pixels.</exception>
    public YuvImage? TryDecodeYuv(ReadOnlySpan<byte> encoded, int targetWidth, int targetHeight) => TryDecodeYuv(encoded, null, targetWidth, targetHeight);

    /// <inheritdoc />
    public YuvImage? TryDecodeYuv(ReadOnlySpan<byte> encoded, in ImageInfo header, int targetWidth, int targetHeight) => TryDecodeYuv(encoded, (ImageInfo?)header, targetWidth, targetHeight);

    /// <inheritdoc />
    /// <exception cref="ImageTooLargeException">The header declares more than <see cref="MaxPixels"/> pixels.</exception>
    public DecodedImage Decode(ReadOnlySpan<byte> encoded, in ImageInfo header, int targetWidth, int targetHeight) => Decode(encoded, (ImageInfo?)header, targetWidth, targetHeight);

    // header: what the caller already probed, or null to probe here.
    private YuvImage? TryDecodeYuv(ReadOnlySpan<byte> encoded, ImageInfo? header, int targetWidth, int targetHeight)
    {
        if (!_turbo.HasYuvPlanes || ImageHeaderProbe.DetectFormat(encoded) != ImageFormat.Jpeg)
        {
            return null;
        }

        CheckHeader(encoded, header);
        var (storedWidth, storedHeight, subsampling, colorspace) = _turbo.ReadHeader(encoded);
        DecodeChecks.CheckSize(storedWidth, storedHeight, MaxPixels);
        const int ycbcr = 1;
        var (shiftX, shiftY) = subsampling switch
        {
            0 => (0, 0), // 4:4:4
            1 => (1, 0), // 4:2:2
            2 => (1, 1), // 4:2:0
            4 => (0, 1), // 4:4:0
            _ => (-1, -1),
        };
        if (colorspace != ycbcr || shiftX < 0 || ExifOrientation.Read(encoded, ImageFormat.Jpeg) != Orientation.TopLeft)
        {
            return null;
        }

        var denominator = DecodeChecks.JpegScaleDenominator(storedWidth, storedHeight, targetWidth, targetHeight);
        var image = new YuvImage(DecodeChecks.Scaled(storedWidth, denominator), DecodeChecks.Scaled(storedHeight, denominator), storedWidth, storedHeight, shiftX, shiftY);
        try
        {
            _turbo.DecodeYuv(encoded, image.Luma, image.Cb, image.Cr, image.Width, image.Height, image.LumaStride, image.ChromaStride);
            return image;
        }
        catch
        {
            image.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    /// <exception cref="ImageTooLargeException">The header declares more than <see cref="MaxPixels"/> pixels.</exception>
    public DecodedImage Decode(ReadOnlySpan<byte> encoded, int targetWidth = 0, int targetHeight = 0) => Decode(encoded, null, targetWidth, targetHeight);

    private DecodedImage Decode(ReadOnlySpan<byte> encoded, ImageInfo? header, int targetWidth, int targetHeight)
    {
        if (ImageHeaderProbe.DetectFormat(encoded) != ImageFormat.Jpeg)
        {
            return header is { } probed ? _others.Decode(encoded, probed, targetWidth, targetHeight) : _others.Decode(encoded, targetWidth, targetHeight);
        }

        CheckHeader(encoded, header);
        var (storedWidth, storedHeight) = _turbo.ReadSize(encoded);
        DecodeChecks.CheckSize(storedWidth, storedHeight, MaxPixels);
        var orientation = ExifOrientation.Read(encoded, ImageFormat.Jpeg);
        var swap = OrientationTransform.SwapsAxes(orientation);
        var denominator = DecodeChecks.JpegScaleDenominator(storedWidth, storedHeight, swap ? targetHeight : targetWidth, swap ? targetWidth : targetHeight);
        var width = DecodeChecks.Scaled(storedWidth, denominator);
        var height = DecodeChecks.Scaled(storedHeight, denominator);
        var image = swap
            ? new DecodedImage(height, width, storedHeight, storedWidth)
            : new DecodedImage(width, height, storedWidth, storedHeight);
        try
        {
            if (orientation == Orientation.TopLeft)
            {
                _turbo.Decode(encoded, image.Pixels, width, height);
                return image;
            }

            var stagingBytes = width * height * 4;
            var staging = ArrayPool<byte>.Shared.Rent(stagingBytes);
            try
            {
                _turbo.Decode(encoded, staging.AsSpan(0, stagingBytes), width, height);
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

    private void CheckHeader(ReadOnlySpan<byte> encoded, ImageInfo? header)
    {
        if (header is { } probed)
        {
            DecodeChecks.Probe(encoded, probed, MaxPixels);
        }
        else
        {
            DecodeChecks.Probe(encoded, MaxPixels);
        }
    }
}
