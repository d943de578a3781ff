using Rekognition.Core.Images;
using Rekognition.Core.Model;
using SkiaSharp;

namespace Rekognition.Imaging.Decoding;

/// <summary>
/// The default decoder: SkiaSharp (libjpeg-turbo and libpng). A JPEG much larger than the target is decoded
/// by the codec at 1/2, 1/4 or 1/8 scale, which skips most of the inverse DCT work.
/// </summary>
public sealed class SkiaImageDecoder : IImageDecoder
{
    public ImageInfo Probe(ReadOnlySpan<byte> encoded)
    {
        var info = ImageHeaderProbe.Probe(encoded);
        if (!info.IsOk || info.Format != ImageFormat.Jpeg)
        {
            return info;
        }

        var origin = ReadOrigin(encoded);
        return SwapsAxes(origin) ? info with { Width = info.Height, Height = info.Width } : info;
    }

    public unsafe DecodedImage Decode(ReadOnlySpan<byte> encoded, int targetWidth = 0, int targetHeight = 0)
    {
        var format = ImageHeaderProbe.DetectFormat(encoded);
        if (format is not (ImageFormat.Jpeg or ImageFormat.Png))
        {
            throw new InvalidImageFormatException("The image is not a PNG or JPEG.");
        }

        fixed (byte* data = encoded)
        {
            using var skData = SKData.Create((IntPtr)data, encoded.Length);
            using var codec = SKCodec.Create(skData) ?? throw new InvalidImageFormatException("The image could not be decoded: its header is damaged.");
            var origin = codec.EncodedOrigin;
            var swap = SwapsAxes(origin);
            var sourceWidth = swap ? codec.Info.Height : codec.Info.Width;
            var sourceHeight = swap ? codec.Info.Width : codec.Info.Height;

            var size = ScaledSize(codec, swap ? targetHeight : targetWidth, swap ? targetWidth : targetHeight);
            var decodeInfo = new SKImageInfo(size.Width, size.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
            var width = swap ? size.Height : size.Width;
            var height = swap ? size.Width : size.Height;
            var image = new DecodedImage(width, height, sourceWidth, sourceHeight);
            try
            {
                fixed (byte* pixels = image.Pixels)
                {
                    if (origin == SKEncodedOrigin.TopLeft)
                    {
                        Check(codec.GetPixels(decodeInfo, (IntPtr)pixels));
                    }
                    else
                    {
                        using var raw = new SKBitmap(decodeInfo);
                        Check(codec.GetPixels(decodeInfo, raw.GetPixels()));
                        using var oriented = new SKBitmap();
                        oriented.InstallPixels(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul), (IntPtr)pixels, image.RowBytes);
                        using var canvas = new SKCanvas(oriented);
                        canvas.SetMatrix(OrientationMatrix(origin, size.Width, size.Height));
                        canvas.DrawBitmap(raw, 0, 0);
                    }
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

    private static void Check(SKCodecResult result)
    {
        // IncompleteInput still fills what it could read; a truncated image is an invalid image for the service.
        if (result != SKCodecResult.Success)
        {
            throw new InvalidImageFormatException($"The image could not be decoded ({result}): it is truncated or corrupt.");
        }
    }

    /// <summary>The smallest size the codec can decode to that still covers the target (the full size when none is given).</summary>
    private static SKSizeI ScaledSize(SKCodec codec, int targetWidth, int targetHeight)
    {
        var full = codec.Info.Size;
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

    private static bool SwapsAxes(SKEncodedOrigin origin) =>
        origin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;

    private static SKEncodedOrigin ReadOrigin(ReadOnlySpan<byte> encoded)
    {
        unsafe
        {
            fixed (byte* data = encoded)
            {
                using var skData = SKData.Create((IntPtr)data, encoded.Length);
                using var codec = SKCodec.Create(skData);
                return codec?.EncodedOrigin ?? SKEncodedOrigin.TopLeft;
            }
        }
    }

    /// <summary>Maps the stored pixels (w x h) onto the displayed orientation.</summary>
    private static SKMatrix OrientationMatrix(SKEncodedOrigin origin, int w, int h) => origin switch
    {
        SKEncodedOrigin.TopRight => new SKMatrix(-1, 0, w, 0, 1, 0, 0, 0, 1),
        SKEncodedOrigin.BottomRight => new SKMatrix(-1, 0, w, 0, -1, h, 0, 0, 1),
        SKEncodedOrigin.BottomLeft => new SKMatrix(1, 0, 0, 0, -1, h, 0, 0, 1),
        SKEncodedOrigin.LeftTop => new SKMatrix(0, 1, 0, 1, 0, 0, 0, 0, 1),
        SKEncodedOrigin.RightTop => new SKMatrix(0, -1, h, 1, 0, 0, 0, 0, 1),
        SKEncodedOrigin.RightBottom => new SKMatrix(0, -1, h, -1, 0, w, 0, 0, 1),
        SKEncodedOrigin.LeftBottom => new SKMatrix(0, 1, 0, -1, 0, w, 0, 0, 1),
        _ => SKMatrix.Identity,
    };
}
