using SkiaSharp;

namespace Rekognition.Training.Tests.Trainers;

/// <summary>Writes small PNGs of coloured shapes (circle, square, triangle) on noisy backgrounds, at random places and sizes.</summary>
internal static class ShapeImages
{
    public static readonly string[] Shapes = { "circle", "square", "triangle" };

    /// <summary>Writes one image with the given shapes; returns its path.</summary>
    public static string Write(string directory, int index, IReadOnlyList<int> shapes, Random random, int size = 40)
    {
        using var bitmap = new SKBitmap(size, size);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(new SKColor((byte)random.Next(60, 120), (byte)random.Next(60, 120), (byte)random.Next(60, 120)));
            using var paint = new SKPaint { IsAntialias = true };
            for (var n = 0; n < 30; n++)
            {
                paint.Color = new SKColor((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256), 60);
                canvas.DrawCircle(random.Next(size), random.Next(size), 1.5f, paint);
            }

            foreach (var shape in shapes)
            {
                var r = random.Next(size / 6, size / 4);
                var cx = random.Next(r, size - r);
                var cy = random.Next(r, size - r);
                paint.Color = shape switch { 0 => new SKColor(230, 40, 40), 1 => new SKColor(40, 220, 60), _ => new SKColor(50, 80, 240) };
                Draw(canvas, shape, cx, cy, r, paint);
            }
        }

        var file = Path.Combine(directory, $"img{index:D4}.png");
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        File.WriteAllBytes(file, data.ToArray());
        return file;
    }

    /// <summary>Draws shape 0 (a circle), 1 (a square) or 2 (a triangle) of half-size <paramref name="r"/> centred at (cx, cy).</summary>
    public static void Draw(SKCanvas canvas, int shape, float cx, float cy, float r, SKPaint paint)
    {
        switch (shape)
        {
            case 0:
                canvas.DrawCircle(cx, cy, r, paint);
                break;
            case 1:
                canvas.DrawRect(cx - r, cy - r, 2 * r, 2 * r, paint);
                break;
            default:
                using (var path = new SKPath())
                {
                    path.MoveTo(cx, cy - r);
                    path.LineTo(cx + r, cy + r);
                    path.LineTo(cx - r, cy + r);
                    path.Close();
                    canvas.DrawPath(path, paint);
                }

                break;
        }
    }
}
