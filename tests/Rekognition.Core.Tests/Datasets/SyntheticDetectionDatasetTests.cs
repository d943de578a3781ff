using Rekognition.Core.Model;
using Rekognition.Core.Tests.TestSupport;
using Rekognition.Samples;
using SkiaSharp;

namespace Rekognition.Core.Tests.Datasets;

/// <summary>The synthetic detection dataset of samples/Shared: deterministic, within its ranges, boxes on what was drawn, imported without errors.</summary>
public class SyntheticDetectionDatasetTests
{
    private string _root = null!;

    [SetUp]
    public void SetUp() => _root = Directory.CreateTempSubdirectory("rk-synthetic-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_root, recursive: true);

    private static int L1(uint rgb, SKColor c) =>
        Math.Abs((int)((rgb >> 16) & 0xFF) - c.Red) + Math.Abs((int)((rgb >> 8) & 0xFF) - c.Green) + Math.Abs((int)(rgb & 0xFF) - c.Blue);

    private static bool Overlaps(SyntheticObject a, SyntheticObject b, int margin) =>
        a.Left - margin < b.Left + b.Width && b.Left < a.Left + a.Width + margin && a.Top - margin < b.Top + b.Height && b.Top < a.Top + a.Height + margin;

    /// <summary>The objects whose box, grown by <paramref name="margin"/>, touches no other box of the image.</summary>
    private static IEnumerable<SyntheticObject> Lone(SyntheticImage image, int margin) =>
        image.Objects.Where(o => !image.Objects.Any(other => other != o && Overlaps(o, other, margin)));

    [Test]
    public void TheSameSeed_GivesTheSameFiles_AnotherSeedOthers()
    {
        var options = new SyntheticDetectionOptions { SourceRefPrefix = "s3://synth/" };
        var first = SyntheticDetectionDataset.Generate(Path.Combine(_root, "a"), 6, seed: 7, options);
        var again = SyntheticDetectionDataset.Generate(Path.Combine(_root, "b"), 6, seed: 7, options);
        var other = SyntheticDetectionDataset.Generate(Path.Combine(_root, "c"), 6, seed: 8, options);

        Assert.That(File.ReadAllBytes(again.ManifestPath), Is.EqualTo(File.ReadAllBytes(first.ManifestPath)));
        Assert.That(File.ReadAllBytes(other.ManifestPath), Is.Not.EqualTo(File.ReadAllBytes(first.ManifestPath)));
        Assert.That(again.Images.Select(i => i.Objects), Is.EqualTo(first.Images.Select(i => i.Objects)));
        for (var i = 0; i < first.Images.Count; i++)
        {
            Assert.That(File.ReadAllBytes(again.Images[i].Path), Is.EqualTo(File.ReadAllBytes(first.Images[i].Path)), $"image {i}");
        }

        Assert.That(other.Images.Select(i => i.Objects), Is.Not.EqualTo(first.Images.Select(i => i.Objects)));

        // Each image depends on the seed and its index only: a longer run extends a shorter one.
        var longer = SyntheticDetectionDataset.Generate(Path.Combine(_root, "d"), 8, seed: 7, options);
        Assert.That(longer.Images.Take(6).Select(i => i.Objects), Is.EqualTo(first.Images.Select(i => i.Objects)));
    }

    [Test]
    public void ImagesAndObjects_VaryWithinTheOptions()
    {
        var options = new SyntheticDetectionOptions();
        var set = SyntheticDetectionDataset.Generate(_root, 100, seed: 1, options);
        Assert.That(set.Images, Has.Count.EqualTo(100));
        Assert.That(File.ReadAllLines(set.ManifestPath), Has.Length.EqualTo(100));

        var objects = set.Images.SelectMany(i => i.Objects.Select(o => (Image: i, Object: o))).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(set.Images.Select(i => i.Width).Concat(set.Images.Select(i => i.Height)), Has.All.InRange(256, 320));
            Assert.That(set.Images.Select(i => i.Width).Distinct().Count(), Is.GreaterThan(15), "sizes vary");
            Assert.That(set.Images.Select(i => i.Objects.Count), Has.All.InRange(0, 10));
            Assert.That(set.Images.Count(i => i.Objects.Count == 0), Is.InRange(1, 20), "a few background-only images");
            Assert.That(set.Images.Select(i => i.Objects.Count).Distinct().Count(), Is.GreaterThanOrEqualTo(8), "counts vary");
            Assert.That(objects.GroupBy(o => o.Object.Label).Select(g => g.Key), Is.EquivalentTo(SyntheticDetectionDataset.ClassNames));
            Assert.That(objects.GroupBy(o => o.Object.ClassId).Select(g => g.Count()), Has.All.GreaterThan(objects.Count / 5), "classes are balanced");
            Assert.That(objects.Select(o => SyntheticDetectionDataset.ClassNames[o.Object.ClassId] == o.Object.Label), Has.All.True);
            foreach (var (image, o) in objects)
            {
                Assert.That(o.Left >= 0 && o.Top >= 0 && o.Left + o.Width <= image.Width && o.Top + o.Height <= image.Height, $"{o} inside {image.Width}x{image.Height}");
                Assert.That(Math.Min(o.Width, o.Height), Is.GreaterThanOrEqualTo(6), o.ToString());
                Assert.That(Math.Max(o.Width, o.Height), Is.LessThanOrEqualTo(Math.Min(image.Width, image.Height) * 0.4 * Math.Sqrt(2) + 2), o.ToString());
            }

            var sides = objects.Select(o => Math.Max(o.Object.Width, o.Object.Height)).ToList();
            Assert.That(sides.Count(s => s < 24), Is.GreaterThan(objects.Count / 10), "small objects");
            Assert.That(sides.Count(s => s > 70), Is.GreaterThan(objects.Count / 10), "large objects");
            Assert.That(set.Images.Any(i => i.Objects.Any(o => i.Objects.Any(other => other != o && Overlaps(o, other, 0)))), Is.True, "some objects overlap");
        });

        // None hidden: another box covers at most a quarter of the smaller box.
        foreach (var image in set.Images)
        {
            foreach (var a in image.Objects)
            {
                foreach (var b in image.Objects.Where(b => b != a))
                {
                    var w = Math.Min(a.Left + a.Width, b.Left + b.Width) - Math.Max(a.Left, b.Left);
                    var h = Math.Min(a.Top + a.Height, b.Top + b.Height) - Math.Max(a.Top, b.Top);
                    var smaller = Math.Min(a.Width * a.Height, b.Width * b.Height);
                    Assert.That(w <= 0 || h <= 0 || w * h <= 0.25 * smaller + 1e-9, Is.True, $"{a} and {b}");
                }
            }
        }
    }

    [Test]
    public void EachBox_IsTheTightBoxOfItsShape()
    {
        // No clutter, no noise: the shape's pixels are exactly its fill colour (antialiased edges aside).
        var set = SyntheticDetectionDataset.Generate(_root, 20, seed: 3, new SyntheticDetectionOptions { Clutter = false, NoiseAmplitude = 0 });
        var checkedObjects = 0;
        foreach (var image in set.Images)
        {
            using var bitmap = SKBitmap.Decode(image.Path);
            Assert.That((bitmap.Width, bitmap.Height), Is.EqualTo((image.Width, image.Height)));
            var pixels = bitmap.Pixels;
            foreach (var o in Lone(image, 4))
            {
                int minX = int.MaxValue, minY = int.MaxValue, maxX = -1, maxY = -1, count = 0;
                for (var y = Math.Max(0, o.Top - 3); y < Math.Min(image.Height, o.Top + o.Height + 3); y++)
                {
                    for (var x = Math.Max(0, o.Left - 3); x < Math.Min(image.Width, o.Left + o.Width + 3); x++)
                    {
                        if (L1(o.Fill, pixels[y * image.Width + x]) <= 3)
                        {
                            (minX, minY, maxX, maxY) = (Math.Min(minX, x), Math.Min(minY, y), Math.Max(maxX, x), Math.Max(maxY, y));
                            count++;
                        }
                    }
                }

                Assert.That(count, Is.GreaterThanOrEqualTo(o.Width * o.Height / 4), $"{o}: filled");
                Assert.That(minX >= o.Left && minY >= o.Top && maxX < o.Left + o.Width && maxY < o.Top + o.Height, Is.True,
                    $"{o}: fill pixels {minX},{minY}..{maxX},{maxY} lie in the box");
                var tolerance = o.Label == "triangle" ? 3 : 2; // a sharp corner's last full pixel is further in
                Assert.That(minX - o.Left, Is.LessThanOrEqualTo(tolerance), $"{o}: left edge");
                Assert.That(minY - o.Top, Is.LessThanOrEqualTo(tolerance), $"{o}: top edge");
                Assert.That(o.Left + o.Width - 1 - maxX, Is.LessThanOrEqualTo(tolerance), $"{o}: right edge");
                Assert.That(o.Top + o.Height - 1 - maxY, Is.LessThanOrEqualTo(tolerance), $"{o}: bottom edge");
                checkedObjects++;
            }
        }

        Assert.That(checkedObjects, Is.GreaterThan(30));
    }

    [Test]
    public void OnClutteredNoisyBackgrounds_EachLoneObjectStandsOutFromWhatSurroundsIt()
    {
        var set = SyntheticDetectionDataset.Generate(_root, 30, seed: 4);
        var checkedObjects = 0;
        foreach (var image in set.Images)
        {
            using var bitmap = SKBitmap.Decode(image.Path);
            foreach (var o in Lone(image, 6))
            {
                // The box centre lies inside every class's shape (for a triangle too: it is within the inscribed circle).
                var centre = Mean(bitmap, o.Left + o.Width / 2 - 1, o.Top + o.Height / 2 - 1, 3, 3);
                Assert.That(L1(o.Fill, centre), Is.LessThanOrEqualTo(24), $"{o}: the centre has the fill colour");

                var ring = Ring(bitmap, o, 3);
                if (ring.Count < 8)
                {
                    continue;
                }

                var outside = new SKColor((byte)ring.Average(c => c.Red), (byte)ring.Average(c => c.Green), (byte)ring.Average(c => c.Blue));
                Assert.That(L1(o.Fill, outside), Is.GreaterThanOrEqualTo(40), $"{o}: differs from the background around it");
                checkedObjects++;
            }
        }

        Assert.That(checkedObjects, Is.GreaterThan(30));
    }

    [Test]
    public async Task TheManifest_ImportsThroughCreateDataset_WithoutErrors()
    {
        await using var store = new TestStore();
        var folder = Path.Combine(store.Bucket("synth"), "train");
        var set = SyntheticDetectionDataset.Generate(folder, 40, seed: 11,
            new SyntheticDetectionOptions { SourceRefPrefix = "s3://synth/train/", ManifestFileName = "train.manifest", BackgroundOnlyFraction = 0.1, Jpeg = true });
        Assert.That(set.Images.Count(i => i.Objects.Count == 0), Is.GreaterThan(0));

        var project = await store.CreateProjectAsync();
        var arn = (await store.Client.CreateDatasetAsync(new CreateDatasetRequest
        {
            ProjectArn = project,
            DatasetType = DatasetType.TRAIN,
            DatasetSource = new DatasetSource { GroundTruthManifest = new GroundTruthManifest { S3Object = new S3Object { Bucket = "synth", Name = "train/train.manifest" } } },
        })).DatasetArn!;
        var description = await store.WaitForDatasetAsync(arn);

        Assert.That(description.Status, Is.EqualTo(DatasetStatus.CREATE_COMPLETE), description.StatusMessage);
        Assert.That(description.DatasetStats!.TotalEntries, Is.EqualTo(40));
        Assert.That(description.DatasetStats.ErrorEntries, Is.Zero);
        Assert.That(description.DatasetStats.LabeledEntries, Is.EqualTo(set.Images.Count(i => i.Objects.Count > 0)));
        Assert.That(await DetectionProject.EntriesAsync(store, arn, hasErrors: true), Is.Empty);

        var labels = (await store.Client.ListDatasetLabelsAsync(new ListDatasetLabelsRequest { DatasetArn = arn })).DatasetLabelDescriptions;
        var expected = SyntheticDetectionDataset.ClassNames.Select(name =>
        {
            var images = set.Images.Count(i => i.Objects.Any(o => o.Label == name));
            return (name, images, images);
        });
        Assert.That(labels.Select(l => (l.LabelName!, l.LabelStats!.EntryCount ?? 0, l.LabelStats.BoundingBoxCount ?? 0)), Is.EquivalentTo(expected));

        // The stored lines keep the boxes as written.
        var first = set.Images.First(i => i.Objects.Count > 0);
        var page = await store.Client.ListDatasetEntriesAsync(new ListDatasetEntriesRequest { DatasetArn = arn, SourceRefContains = Path.GetFileName(first.Path) });
        var entry = System.Text.Json.JsonDocument.Parse(page.DatasetEntries.Single()).RootElement;
        Assert.That(entry.GetProperty("source-ref").GetString(), Is.EqualTo(first.SourceRef));
        var annotations = entry.GetProperty("bounding-box").GetProperty("annotations").EnumerateArray()
            .Select(a => (a.GetProperty("class_id").GetInt32(), a.GetProperty("left").GetInt32(), a.GetProperty("top").GetInt32(), a.GetProperty("width").GetInt32(), a.GetProperty("height").GetInt32()));
        Assert.That(annotations, Is.EqualTo(first.Objects.Select(o => (o.ClassId, o.Left, o.Top, o.Width, o.Height))));
    }

    private static SKColor Mean(SKBitmap bitmap, int left, int top, int width, int height)
    {
        int r = 0, g = 0, b = 0;
        for (var y = top; y < top + height; y++)
        {
            for (var x = left; x < left + width; x++)
            {
                var c = bitmap.GetPixel(x, y);
                (r, g, b) = (r + c.Red, g + c.Green, b + c.Blue);
            }
        }

        var n = width * height;
        return new SKColor((byte)(r / n), (byte)(g / n), (byte)(b / n));
    }

    /// <summary>The pixels on a rectangle <paramref name="gap"/> px outside the box, where inside the image.</summary>
    private static List<SKColor> Ring(SKBitmap bitmap, SyntheticObject o, int gap)
    {
        var pixels = new List<SKColor>();
        int left = o.Left - gap, top = o.Top - gap, right = o.Left + o.Width - 1 + gap, bottom = o.Top + o.Height - 1 + gap;
        for (var x = left; x <= right; x++)
        {
            foreach (var y in new[] { top, bottom })
            {
                if (x >= 0 && y >= 0 && x < bitmap.Width && y < bitmap.Height)
                {
                    pixels.Add(bitmap.GetPixel(x, y));
                }
            }
        }

        for (var y = top + 1; y < bottom; y++)
        {
            foreach (var x in new[] { left, right })
            {
                if (x >= 0 && y >= 0 && x < bitmap.Width && y < bitmap.Height)
                {
                    pixels.Add(bitmap.GetPixel(x, y));
                }
            }
        }

        return pixels;
    }
}
