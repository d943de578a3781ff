using Rekognition.Core.Inference;
using Rekognition.Core.Training;
using Rekognition.Training.Tests.Trainers;
using SkiaSharp;

namespace Rekognition.Training.Tests.Detection;

/// <summary>Writes small PNGs with 0–3 coloured circles, squares and triangles on a noisy background, and their boxes.</summary>
internal static class DetectionImages
{
    public static readonly string[] Labels = { "circle", "square", "triangle" };

    public static List<TrainingImage> Write(string directory, int count, int size, int seed)
    {
        var random = new Random(seed);
        var images = new List<TrainingImage>();
        for (var i = 0; i < count; i++)
        {
            using var bitmap = new SKBitmap(size, size);
            var boxes = new List<TrainingBox>();
            using (var canvas = new SKCanvas(bitmap))
            {
                canvas.Clear(new SKColor((byte)random.Next(60, 140), (byte)random.Next(60, 140), (byte)random.Next(60, 140)));
                using var paint = new SKPaint { IsAntialias = true };
                for (var n = 0; n < 40; n++)
                {
                    paint.Color = new SKColor((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256), 90);
                    canvas.DrawCircle(random.Next(size), random.Next(size), 2f, paint);
                }

                var objects = i % 8 == 7 ? 0 : random.Next(1, 4);
                for (var o = 0; o < objects; o++)
                {
                    var shape = random.Next(3);
                    var r = random.Next(size / 14, size / 5);
                    var cx = random.Next(r, size - r);
                    var cy = random.Next(r, size - r);
                    paint.Color = new SKColor((byte)random.Next(150, 256), (byte)random.Next(0, 256), (byte)random.Next(0, 100));
                    ShapeImages.Draw(canvas, shape, cx, cy, r, paint);
                    boxes.Add(new TrainingBox(shape, new NormalizedBox((cx - r) / (float)size, (cy - r) / (float)size, 2f * r / size, 2f * r / size)));
                }
            }

            var file = Path.Combine(directory, $"det{i:D4}.png");
            using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
            File.WriteAllBytes(file, data.ToArray());
            images.Add(new TrainingImage(file, boxes.Select(b => b.Label).Distinct().ToList(), boxes));
        }

        return images;
    }
}
