using SkiaSharp;

namespace Rekognition.Benchmarks.Training;

/// <summary>
/// A small classification set drawn here (not the QuickStart's shapes): a ring, a cross, a five-pointed star or a crescent,
/// in a random colour, size, rotation and place, on a random two-colour gradient cluttered with lines and blobs, as JPEGs of
/// random sizes.
/// </summary>
internal static class GeneratedPhotos
{
    public static readonly string[] Labels = { "ring", "cross", "star", "crescent" };

    /// <summary>Writes <paramref name="perLabel"/> photos of each label into <paramref name="folder"/>; returns paths and label indexes.</summary>
    public static (List<string> Paths, int[] Labels) Write(string folder, int perLabel, int seed)
    {
        Directory.CreateDirectory(folder);
        var random = new Random(seed);
        var paths = new List<string>();
        var labels = new List<int>();
        for (var i = 0; i < perLabel * Labels.Length; i++)
        {
            var label = i % Labels.Length;
            var path = Path.Combine(folder, $"{Labels[label]}_{i:D4}.jpg");
            File.WriteAllBytes(path, Draw(label, random));
            paths.Add(path);
            labels.Add(label);
        }

        return (paths, labels.ToArray());
    }

    private static SKColor RandomColor(Random random) => new((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256));

    private static byte[] Draw(int label, Random random)
    {
        int width = random.Next(160, 260), height = random.Next(140, 240);
        using var bitmap = new SKBitmap(width, height);
        using (var canvas = new SKCanvas(bitmap))
        {
            using var background = new SKPaint
            {
                Shader = SKShader.CreateLinearGradient(new SKPoint(0, 0), new SKPoint(width, height), new[] { RandomColor(random), RandomColor(random) }, SKShaderTileMode.Clamp),
            };
            canvas.DrawRect(0, 0, width, height, background);
            using var clutter = new SKPaint { IsAntialias = true, StrokeWidth = 2 };
            for (var n = 0; n < 12; n++)
            {
                clutter.Color = RandomColor(random).WithAlpha(90);
                if (n % 2 == 0)
                {
                    canvas.DrawLine(random.Next(width), random.Next(height), random.Next(width), random.Next(height), clutter);
                }
                else
                {
                    canvas.DrawOval(random.Next(width), random.Next(height), random.Next(3, 12), random.Next(3, 12), clutter);
                }
            }

            var side = Math.Min(width, height);
            var r = side * (0.18f + (0.14f * random.NextSingle()));
            var cx = r + (random.NextSingle() * (width - (2 * r)));
            var cy = r + (random.NextSingle() * (height - (2 * r)));
            canvas.Translate(cx, cy);
            canvas.RotateDegrees(random.Next(360));
            using var paint = new SKPaint { IsAntialias = true, Color = RandomColor(random), Style = SKPaintStyle.Fill };
            switch (label)
            {
                case 0:
                    paint.Style = SKPaintStyle.Stroke;
                    paint.StrokeWidth = r * 0.3f;
                    canvas.DrawCircle(0, 0, r * 0.8f, paint);
                    break;
                case 1:
                    canvas.DrawRect(-r, -r * 0.22f, 2 * r, r * 0.44f, paint);
                    canvas.DrawRect(-r * 0.22f, -r, r * 0.44f, 2 * r, paint);
                    break;
                case 2:
                    using (var star = new SKPath())
                    {
                        for (var k = 0; k < 10; k++)
                        {
                            var radius = k % 2 == 0 ? r : r * 0.42f;
                            var angle = (Math.PI / 5 * k) - (Math.PI / 2);
                            var point = new SKPoint((float)(radius * Math.Cos(angle)), (float)(radius * Math.Sin(angle)));
                            if (k == 0)
                            {
                                star.MoveTo(point);
                            }
                            else
                            {
                                star.LineTo(point);
                            }
                        }

                        star.Close();
                        canvas.DrawPath(star, paint);
                    }

                    break;
                default:
                    using (var moon = new SKPath())
                    using (var bite = new SKPath())
                    {
                        moon.AddCircle(0, 0, r);
                        bite.AddCircle(r * 0.45f, -r * 0.1f, r * 0.85f);
                        using var crescent = moon.Op(bite, SKPathOp.Difference);
                        canvas.DrawPath(crescent, paint);
                    }

                    break;
            }
        }

        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Jpeg, 90);
        return data.ToArray();
    }
}
