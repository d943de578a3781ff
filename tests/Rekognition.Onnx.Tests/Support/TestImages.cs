using SkiaSharp;

namespace Rekognition.Onnx.Tests.Support;

/// <summary>Encoded test images made on the fly.</summary>
internal static class TestImages
{
    /// <summary>A solid-colour image, encoded as PNG or JPEG.</summary>
    public static byte[] Solid(SKColor colour, int width = 96, int height = 80, SKEncodedImageFormat format = SKEncodedImageFormat.Png)
    {
        using var bitmap = new SKBitmap(width, height);
        bitmap.Erase(colour);
        using var data = bitmap.Encode(format, 90);
        return data.ToArray();
    }
}
