using SkiaSharp;

namespace Rekognition.Console.Tests.TestSupport;

/// <summary>Photos for labelling: a 320x240 PNG with a coloured rectangle on grey, big enough to draw a box on.</summary>
public static class ConsoleImages
{
    public const int Width = 320;
    public const int Height = 240;

    public static byte[] Scene(SKColor colour, int seed)
    {
        using var bitmap = new SKBitmap(Width, Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(new SKColor(120, 120, 120));
            using var paint = new SKPaint { Color = colour };
            canvas.DrawRect(40 + (seed % 50), 30 + (seed % 40), 120, 100, paint);
        }

        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}
