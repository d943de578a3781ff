using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using SkiaSharp;

namespace Rekognition.Samples;

/// <summary>How <see cref="SyntheticDetectionDataset.Generate"/> draws its images.</summary>
public sealed class SyntheticDetectionOptions
{
    /// <summary>Smallest image side in pixels; each image's width and height are drawn between this and <see cref="MaxImageSide"/>.</summary>
    public int MinImageSide { get; init; } = 256;

    /// <summary>Largest image side in pixels.</summary>
    public int MaxImageSide { get; init; } = 320;

    /// <summary>Most objects in one image; an image that is not background-only has 1 to this many.</summary>
    public int MaxObjectsPerImage { get; init; } = 10;

    /// <summary>Share of the images drawn with no object at all (background only).</summary>
    public double BackgroundOnlyFraction { get; init; } = 0.04;

    /// <summary>Smallest object side (its box's shorter side, before rotation) in pixels.</summary>
    public int MinObjectSide { get; init; } = 12;

    /// <summary>Largest object side, as a fraction of the image's shorter side.</summary>
    public double MaxObjectFraction { get; init; } = 0.4;

    /// <summary>
    /// Most of an object's box that another object's box may cover (intersection over the smaller box's area), so
    /// objects overlap partly but none is hidden. Objects that find no such place after some tries are left out.
    /// </summary>
    public double MaxOverlap { get; init; } = 0.25;

    /// <summary>Whether to draw clutter under the objects: random lines, arcs, thin rings, star outlines, zigzags, crosses and small filled stars, none of them one of the classes.</summary>
    public bool Clutter { get; init; } = true;

    /// <summary>Amplitude of the uniform per-pixel noise added to every channel at the end (0 for none).</summary>
    public int NoiseAmplitude { get; init; } = 10;

    /// <summary>Whether images are written as JPEG (quality 92) instead of PNG.</summary>
    public bool Jpeg { get; init; }

    /// <summary>
    /// What goes before each image's file name in its <c>source-ref</c>, e.g. <c>s3://bucket/train/</c>; null writes
    /// the image's absolute <c>file://</c> URI (the folder must then lie in an allowed image root).
    /// </summary>
    public string? SourceRefPrefix { get; init; }

    /// <summary>The manifest's file name in the output folder.</summary>
    public string ManifestFileName { get; init; } = "dataset.manifest";

    /// <summary>The label attribute's name in the manifest lines (its metadata is this name plus <c>-metadata</c>).</summary>
    public string AttributeName { get; init; } = "bounding-box";
}

/// <summary>An object drawn in an image: its class and its tight box in pixels of the image, origin top-left.</summary>
/// <param name="ClassId">Index into <see cref="SyntheticDetectionDataset.ClassNames"/> (also the manifest's <c>class_id</c>).</param>
/// <param name="Label">The class name.</param>
/// <param name="Left">Pixels from the left edge of the image to the box's left edge.</param>
/// <param name="Top">Pixels from the top edge of the image to the box's top edge.</param>
/// <param name="Width">Box width in pixels.</param>
/// <param name="Height">Box height in pixels.</param>
/// <param name="Fill">The object's fill colour as 0xRRGGBB (before noise).</param>
public readonly record struct SyntheticObject(int ClassId, string Label, int Left, int Top, int Width, int Height, uint Fill);

/// <summary>A generated image: where it is, how it is referred to in the manifest, its size and its objects, in drawing order.</summary>
public sealed record SyntheticImage(string Path, string SourceRef, int Width, int Height, IReadOnlyList<SyntheticObject> Objects);

/// <summary>What <see cref="SyntheticDetectionDataset.Generate"/> wrote.</summary>
/// <param name="ManifestPath">The Ground Truth object-detection manifest, one line per image.</param>
/// <param name="Images">The images, in manifest order.</param>
public sealed record SyntheticDetectionSet(string ManifestPath, IReadOnlyList<SyntheticImage> Images);

/// <summary>
/// Draws object-detection datasets for tests and benchmarks: filled circles, squares and triangles of varied colour,
/// size, rotation, position and count on cluttered backgrounds, with a SageMaker Ground Truth object-detection manifest
/// whose boxes are the shapes' tight boxes. The same seed and options give the same files; each image depends only
/// on the seed and its index, so a larger count extends a smaller one.
/// </summary>
public static class SyntheticDetectionDataset
{
    /// <summary>The classes, in <c>class_id</c> order.</summary>
    public static IReadOnlyList<string> ClassNames { get; } = ["circle", "square", "triangle"];

    private const int PlacementTries = 40;

    /// <summary>
    /// Writes <paramref name="imageCount"/> images (img_00000.png, ...) and the manifest into <paramref name="directory"/>
    /// (created if needed) and returns them with their objects.
    /// </summary>
    public static SyntheticDetectionSet Generate(string directory, int imageCount, int seed, SyntheticDetectionOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentOutOfRangeException.ThrowIfNegative(imageCount);
        options ??= new SyntheticDetectionOptions();
        if (options.MinImageSide < 64 || options.MaxImageSide < options.MinImageSide || options.MinObjectSide < 4
            || options.MinObjectSide > options.MaxObjectFraction * options.MinImageSide || options.MaxObjectsPerImage < 0)
        {
            throw new ArgumentException("Image sides must be at least 64 px with Min <= Max, and MinObjectSide between 4 px and MaxObjectFraction of the smallest side.", nameof(options));
        }

        Directory.CreateDirectory(directory);
        var images = new List<SyntheticImage>(imageCount);
        var manifestPath = Path.Combine(directory, options.ManifestFileName);
        using var manifest = new FileStream(manifestPath, FileMode.Create, FileAccess.Write, FileShare.None);
        for (var i = 0; i < imageCount; i++)
        {
            var fileName = string.Create(CultureInfo.InvariantCulture, $"img_{i:D5}.{(options.Jpeg ? "jpg" : "png")}");
            var path = Path.GetFullPath(Path.Combine(directory, fileName));
            var sourceRef = options.SourceRefPrefix is null ? new Uri(path).AbsoluteUri : options.SourceRefPrefix + fileName;
            var image = DrawImage(new Random(unchecked((seed * 1_000_003) ^ (i * 7919) ^ 0x5bd1e995)), options, path, sourceRef);
            images.Add(image);
            manifest.Write(ManifestLine(image, options));
            manifest.WriteByte((byte)'\n');
        }

        return new SyntheticDetectionSet(manifestPath, images);
    }

    /// <summary>The Ground Truth object-detection line of one image, as UTF-8 JSON.</summary>
    public static byte[] ManifestLine(SyntheticImage image, SyntheticDetectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(options);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("source-ref", image.SourceRef);
            json.WriteStartObject(options.AttributeName);
            json.WriteStartArray("image_size");
            json.WriteStartObject();
            json.WriteNumber("width", image.Width);
            json.WriteNumber("height", image.Height);
            json.WriteNumber("depth", 3);
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteStartArray("annotations");
            foreach (var o in image.Objects)
            {
                json.WriteStartObject();
                json.WriteNumber("class_id", o.ClassId);
                json.WriteNumber("left", o.Left);
                json.WriteNumber("top", o.Top);
                json.WriteNumber("width", o.Width);
                json.WriteNumber("height", o.Height);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteStartObject(options.AttributeName + "-metadata");
            json.WriteStartArray("objects");
            foreach (var _ in image.Objects)
            {
                json.WriteStartObject();
                json.WriteNumber("confidence", 1);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartObject("class-map");
            for (var c = 0; c < ClassNames.Count; c++)
            {
                json.WriteString(c.ToString(CultureInfo.InvariantCulture), ClassNames[c]);
            }

            json.WriteEndObject();
            json.WriteString("type", "groundtruth/object-detection");
            json.WriteString("human-annotated", "yes");
            json.WriteString("creation-date", "2024-05-02T08:15:30.000");
            json.WriteString("job-name", "labeling-job/synthetic-shapes");
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static SyntheticImage DrawImage(Random rng, SyntheticDetectionOptions options, string path, string sourceRef)
    {
        var width = rng.Next(options.MinImageSide, options.MaxImageSide + 1);
        var height = rng.Next(options.MinImageSide, options.MaxImageSide + 1);
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        using var canvas = new SKCanvas(bitmap);
        DrawBackground(canvas, rng, width, height);
        if (options.Clutter)
        {
            DrawClutter(canvas, rng, width, height);
        }

        var count = rng.NextDouble() < options.BackgroundOnlyFraction ? 0 : rng.Next(1, options.MaxObjectsPerImage + 1);
        var objects = new List<SyntheticObject>(count);
        for (var n = 0; n < count; n++)
        {
            if (PlaceObject(rng, options, width, height, objects) is { } shape)
            {
                var fill = ContrastingColour(rng, bitmap, shape.Bounds);
                DrawShape(canvas, shape, fill);
                objects.Add(shape.ToObject(fill));
            }
        }

        canvas.Flush();
        if (options.NoiseAmplitude > 0)
        {
            AddNoise(bitmap, rng, options.NoiseAmplitude);
        }

        using (var data = bitmap.Encode(options.Jpeg ? SKEncodedImageFormat.Jpeg : SKEncodedImageFormat.Png, options.Jpeg ? 92 : 100))
        using (var file = File.Create(path))
        {
            data.SaveTo(file);
        }

        return new SyntheticImage(path, sourceRef, width, height, objects);
    }

    /// <summary>A shape's geometry: class, polygon (empty for a circle), circle centre and radius, and its tight pixel box.</summary>
    private sealed record Shape(int ClassId, SKPoint[] Polygon, SKPoint Centre, float Radius, SKRectI Bounds)
    {
        public SyntheticObject ToObject(SKColor fill) => new(ClassId, ClassNames[ClassId], Bounds.Left, Bounds.Top, Bounds.Width, Bounds.Height,
            ((uint)fill.Red << 16) | ((uint)fill.Green << 8) | fill.Blue);
    }

    private static Shape? PlaceObject(Random rng, SyntheticDetectionOptions options, int width, int height, List<SyntheticObject> placed)
    {
        var classId = rng.Next(ClassNames.Count);
        var maxSide = options.MaxObjectFraction * Math.Min(width, height);

        // Log-uniform sizes: as many small objects as large ones.
        var side = (float)Math.Exp(Math.Log(options.MinObjectSide) + rng.NextDouble() * (Math.Log(maxSide) - Math.Log(options.MinObjectSide)));
        var angle = (float)(rng.NextDouble() * Math.PI * 2);
        // Far enough from the edges for any rotation: a square's corners are side/sqrt(2) from its centre.
        var margin = side / MathF.Sqrt(2) + 1;
        for (var attempt = 0; attempt < PlacementTries; attempt++)
        {
            var centre = new SKPoint((float)(margin + rng.NextDouble() * (width - 2 * margin)), (float)(margin + rng.NextDouble() * (height - 2 * margin)));
            var shape = Geometry(classId, centre, side, angle, width, height);
            if (shape.Bounds.Width >= options.MinObjectSide / 2 && shape.Bounds.Height >= options.MinObjectSide / 2
                && placed.TrueForAll(o => Overlap(shape.Bounds, o) <= options.MaxOverlap))
            {
                return shape;
            }
        }

        return null;
    }

    /// <summary>The shape of a class with the given size and rotation; its box is the polygon's (or circle's) extent rounded outwards, inside the image.</summary>
    private static Shape Geometry(int classId, SKPoint centre, float side, float angle, int width, int height)
    {
        SKPoint[] polygon;
        float radius = 0;
        switch (classId)
        {
            case 0:
                radius = side / 2;
                polygon = [];
                break;
            case 1:
                // A square of the given side, turned by the angle (kept below 90 degrees: a square repeats every quarter turn).
                polygon = Regular(centre, side / MathF.Sqrt(2), 4, angle % (MathF.PI / 2));
                break;
            default:
                // An equilateral triangle whose circumscribed circle has the given diameter.
                polygon = Regular(centre, side / 2, 3, angle);
                break;
        }

        float minX, minY, maxX, maxY;
        if (polygon.Length == 0)
        {
            (minX, minY, maxX, maxY) = (centre.X - radius, centre.Y - radius, centre.X + radius, centre.Y + radius);
        }
        else
        {
            (minX, minY, maxX, maxY) = (polygon.Min(p => p.X), polygon.Min(p => p.Y), polygon.Max(p => p.X), polygon.Max(p => p.Y));
        }

        var bounds = new SKRectI(
            Math.Max(0, (int)MathF.Floor(minX)), Math.Max(0, (int)MathF.Floor(minY)),
            Math.Min(width, (int)MathF.Ceiling(maxX)), Math.Min(height, (int)MathF.Ceiling(maxY)));
        return new Shape(classId, polygon, centre, radius, bounds);
    }

    private static SKPoint[] Regular(SKPoint centre, float radius, int corners, float angle)
    {
        var points = new SKPoint[corners];
        for (var k = 0; k < corners; k++)
        {
            var a = angle + k * 2 * MathF.PI / corners;
            points[k] = new SKPoint(centre.X + radius * MathF.Cos(a), centre.Y + radius * MathF.Sin(a));
        }

        return points;
    }

    /// <summary>The share of the smaller of two boxes that their intersection covers.</summary>
    private static double Overlap(SKRectI a, SyntheticObject b)
    {
        var w = Math.Min(a.Right, b.Left + b.Width) - Math.Max(a.Left, b.Left);
        var h = Math.Min(a.Bottom, b.Top + b.Height) - Math.Max(a.Top, b.Top);
        if (w <= 0 || h <= 0)
        {
            return 0;
        }

        var smaller = Math.Min((double)a.Width * a.Height, (double)b.Width * b.Height);
        return w * (double)h / Math.Max(1, smaller);
    }

    private static void DrawShape(SKCanvas canvas, Shape shape, SKColor fill)
    {
        using var paint = new SKPaint { Color = fill, IsAntialias = true, Style = SKPaintStyle.Fill };
        if (shape.Polygon.Length == 0)
        {
            canvas.DrawCircle(shape.Centre, shape.Radius, paint);
            return;
        }

        using var path = new SKPath();
        path.AddPoly(shape.Polygon, close: true);
        canvas.DrawPath(path, paint);
    }

    /// <summary>A saturated colour far from the background under the box (centre and corners), so the object stands out.</summary>
    private static SKColor ContrastingColour(Random rng, SKBitmap bitmap, SKRectI box)
    {
        var samples = new[]
        {
            bitmap.GetPixel(Math.Clamp(box.MidX, 0, bitmap.Width - 1), Math.Clamp(box.MidY, 0, bitmap.Height - 1)),
            bitmap.GetPixel(box.Left, box.Top), bitmap.GetPixel(Math.Max(box.Left, box.Right - 1), box.Top),
            bitmap.GetPixel(box.Left, Math.Max(box.Top, box.Bottom - 1)), bitmap.GetPixel(Math.Max(box.Left, box.Right - 1), Math.Max(box.Top, box.Bottom - 1)),
        };
        var best = SKColors.Black;
        var bestDistance = -1;
        for (var tries = 0; tries < 12; tries++)
        {
            var colour = SKColor.FromHsv((float)(rng.NextDouble() * 360), 55 + (float)(rng.NextDouble() * 45), 35 + (float)(rng.NextDouble() * 65));
            var distance = samples.Min(s => Math.Abs(s.Red - colour.Red) + Math.Abs(s.Green - colour.Green) + Math.Abs(s.Blue - colour.Blue));
            if (distance > bestDistance)
            {
                (best, bestDistance) = (colour, distance);
            }

            if (distance >= 150)
            {
                break;
            }
        }

        return best;
    }

    private static SKColor RandomColour(Random rng, float minValue = 20, float maxValue = 95) =>
        SKColor.FromHsv((float)(rng.NextDouble() * 360), (float)(rng.NextDouble() * 70), minValue + (float)(rng.NextDouble() * (maxValue - minValue)));

    /// <summary>A linear gradient between two colours at a random angle, with a few soft blotches of a third.</summary>
    private static void DrawBackground(SKCanvas canvas, Random rng, int width, int height)
    {
        var angle = rng.NextDouble() * Math.PI * 2;
        var (dx, dy) = ((float)Math.Cos(angle) * width / 2, (float)Math.Sin(angle) * height / 2);
        var centre = new SKPoint(width / 2f, height / 2f);
        using (var shader = SKShader.CreateLinearGradient(new SKPoint(centre.X - dx, centre.Y - dy), new SKPoint(centre.X + dx, centre.Y + dy),
                   [RandomColour(rng), RandomColour(rng)], SKShaderTileMode.Clamp))
        using (var paint = new SKPaint { Shader = shader })
        {
            canvas.DrawRect(0, 0, width, height, paint);
        }

        var blotches = rng.Next(1, 4);
        for (var i = 0; i < blotches; i++)
        {
            var radius = (float)(0.2 + rng.NextDouble() * 0.4) * Math.Max(width, height);
            var at = new SKPoint((float)rng.NextDouble() * width, (float)rng.NextDouble() * height);
            var colour = RandomColour(rng);
            using var shader = SKShader.CreateRadialGradient(at, radius, [colour.WithAlpha(110), colour.WithAlpha(0)], SKShaderTileMode.Clamp);
            using var paint = new SKPaint { Shader = shader };
            canvas.DrawRect(0, 0, width, height, paint);
        }
    }

    /// <summary>Clutter that is none of the classes: lines, arcs, thin rings, star outlines, zigzags, small crosses and small filled stars.</summary>
    private static void DrawClutter(SKCanvas canvas, Random rng, int width, int height)
    {
        var items = rng.Next(8, 20);
        using var paint = new SKPaint { IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeCap = SKStrokeCap.Round };
        for (var i = 0; i < items; i++)
        {
            paint.Color = RandomColour(rng, 10, 100).WithAlpha((byte)rng.Next(140, 256));
            paint.StrokeWidth = 1 + (float)rng.NextDouble() * 2;
            var at = new SKPoint((float)rng.NextDouble() * width, (float)rng.NextDouble() * height);
            var size = 6 + (float)rng.NextDouble() * 0.25f * Math.Min(width, height);
            switch (rng.Next(7))
            {
                case 0:
                    canvas.DrawLine(at, new SKPoint((float)rng.NextDouble() * width, (float)rng.NextDouble() * height), paint);
                    break;
                case 1:
                    using (var arc = new SKPath())
                    {
                        arc.AddArc(new SKRect(at.X - size, at.Y - size, at.X + size, at.Y + size), (float)rng.NextDouble() * 360, 40 + (float)rng.NextDouble() * 200);
                        canvas.DrawPath(arc, paint);
                    }

                    break;
                case 2:
                    paint.StrokeWidth = 1 + (float)rng.NextDouble();
                    canvas.DrawCircle(at, size / 2, paint);
                    break;
                case 3:
                    using (var star = new SKPath())
                    {
                        var points = rng.Next(5, 8);
                        var turn = (float)(rng.NextDouble() * Math.PI);
                        for (var k = 0; k <= points * 2; k++)
                        {
                            var r = k % 2 == 0 ? size / 2 : size / 5;
                            var a = turn + k * MathF.PI / points;
                            var p = new SKPoint(at.X + r * MathF.Cos(a), at.Y + r * MathF.Sin(a));
                            if (k == 0)
                            {
                                star.MoveTo(p);
                            }
                            else
                            {
                                star.LineTo(p);
                            }
                        }

                        canvas.DrawPath(star, paint);
                    }

                    break;
                case 4:
                    using (var zigzag = new SKPath())
                    {
                        zigzag.MoveTo(at);
                        var p = at;
                        for (var k = rng.Next(3, 8); k > 0; k--)
                        {
                            p = new SKPoint(p.X + (float)(rng.NextDouble() - 0.5) * size * 1.5f, p.Y + (float)(rng.NextDouble() - 0.5) * size * 1.5f);
                            zigzag.LineTo(p);
                        }

                        canvas.DrawPath(zigzag, paint);
                    }

                    break;
                case 5:
                    // A small filled blob with 5 to 8 sharp points: solid like the objects, shaped like none of them.
                    using (var blob = new SKPath())
                    using (var fill = new SKPaint { IsAntialias = true, Style = SKPaintStyle.Fill, Color = RandomColour(rng, 10, 100) })
                    {
                        var points = rng.Next(5, 9);
                        var outer = Math.Min(size, 20) / 2 + 3;
                        var turn = (float)(rng.NextDouble() * Math.PI);
                        for (var k = 0; k < points * 2; k++)
                        {
                            var r = k % 2 == 0 ? outer : outer * 0.4f;
                            var a = turn + k * MathF.PI / points;
                            var p = new SKPoint(at.X + r * MathF.Cos(a), at.Y + r * MathF.Sin(a));
                            if (k == 0)
                            {
                                blob.MoveTo(p);
                            }
                            else
                            {
                                blob.LineTo(p);
                            }
                        }

                        blob.Close();
                        canvas.DrawPath(blob, fill);
                    }

                    break;
                default:
                    var arm = size / 4;
                    canvas.DrawLine(at.X - arm, at.Y - arm, at.X + arm, at.Y + arm, paint);
                    canvas.DrawLine(at.X - arm, at.Y + arm, at.X + arm, at.Y - arm, paint);
                    break;
            }
        }
    }

    private static void AddNoise(SKBitmap bitmap, Random rng, int amplitude)
    {
        var pixels = MemoryMarshal.Cast<byte, uint>(bitmap.GetPixelSpan());
        for (var i = 0; i < pixels.Length; i++)
        {
            var p = pixels[i];
            uint r = Clamp((int)(p & 0xFF) + rng.Next(-amplitude, amplitude + 1));
            uint g = Clamp((int)((p >> 8) & 0xFF) + rng.Next(-amplitude, amplitude + 1));
            uint b = Clamp((int)((p >> 16) & 0xFF) + rng.Next(-amplitude, amplitude + 1));
            pixels[i] = r | (g << 8) | (b << 16) | 0xFF000000u;
        }

        static uint Clamp(int v) => (uint)Math.Clamp(v, 0, 255);
    }
}
