using SkiaSharp;

namespace Rekognition.Server.Tests.TestSupport;

/// <summary>Small PNG photos a model can learn from: squares of one colour with a little noise.</summary>
public static class ColourSquares
{
    /// <summary>A 64x64 PNG of <paramref name="colour"/> with noise drawn from <paramref name="seed"/>.</summary>
    public static byte[] Png(SKColor colour, int seed)
    {
        var random = new Random(seed);
        using var bitmap = new SKBitmap(64, 64, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        for (var y = 0; y < 64; y++)
        {
            for (var x = 0; x < 64; x++)
            {
                var n = random.Next(-20, 21);
                bitmap.SetPixel(x, y, new SKColor((byte)Math.Clamp(colour.Red + n, 0, 255), (byte)Math.Clamp(colour.Green + n, 0, 255), (byte)Math.Clamp(colour.Blue + n, 0, 255)));
            }
        }

        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}
