using System.Runtime.InteropServices;
using SkiaSharp;

namespace Rekognition.Samples;

/// <summary>Encodes generated 8-bit RGB pixels as PNG with SkiaSharp, for the samples' made-up pictures.</summary>
internal static class RgbPng
{
    public static byte[] Encode(ReadOnlySpan<byte> rgb, int width, int height)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        var rgba = MemoryMarshal.Cast<byte, uint>(bitmap.GetPixelSpan());
        for (var i = 0; i < width * height; i++)
        {
            rgba[i] = rgb[i * 3] | ((uint)rgb[i * 3 + 1] << 8) | ((uint)rgb[i * 3 + 2] << 16) | 0xFF000000u;
        }

        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}
