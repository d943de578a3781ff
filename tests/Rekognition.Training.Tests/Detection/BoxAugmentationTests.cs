using Rekognition.Core.Inference;
using Rekognition.Core.Models;
using Rekognition.Imaging.Preprocessing;
using Rekognition.Training.Detection;

namespace Rekognition.Training.Tests.Detection;

public class BoxAugmentationTests
{
    private static readonly ModelInputSpec Spec = new()
    {
        Width = 128, Height = 128, Resize = ResizeMode.Letterbox, PadValue = 114, Scale = 1f / 255f, Mean = new[] { 0.5f, 0.5f, 0.5f }, Std = new[] { 0.5f, 0.5f, 0.5f },
    };

    // A grey 200×100 image with a red 40×30 rectangle at (120, 20).
    private static byte[] Image(out (int Label, NormalizedBox Box)[] objects)
    {
        var pixels = new byte[200 * 100 * 4];
        for (var y = 0; y < 100; y++)
        {
            for (var x = 0; x < 200; x++)
            {
                var red = x >= 120 && x < 160 && y >= 20 && y < 50;
                var o = ((y * 200) + x) * 4;
                (pixels[o], pixels[o + 1], pixels[o + 2], pixels[o + 3]) = red ? ((byte)255, (byte)0, (byte)0, (byte)255) : ((byte)128, (byte)128, (byte)128, (byte)255);
            }
        }

        objects = new[] { (1, new NormalizedBox(0.6f, 0.2f, 0.2f, 0.3f)) };
        return pixels;
    }

    [Test]
    public void WithoutAugmentationItIsTheCentredLetterbox()
    {
        var pixels = Image(out var objects);
        var augmentation = new BoxAugmentation(Spec);
        var tensor = new float[3 * 128 * 128];
        var boxes = new InputBox[4];
        var kept = augmentation.Write(pixels, 200, 100, 800, objects, tensor, boxes, augment: false, new Random(0));

        // Scale 0.64, padded 32 px above and below: the box lands at (76.8, 44.8)–(102.4, 64).
        Assert.That(kept, Is.EqualTo(1));
        Assert.That(boxes[0].Label, Is.EqualTo(1));
        Assert.That(new[] { boxes[0].X1, boxes[0].Y1, boxes[0].X2, boxes[0].Y2 }, Is.EqualTo(new[] { 76.8f, 44.8f, 102.4f, 64f }).Within(1e-3f));
        var geometry = InputGeometry.Letterbox(200, 100, 128, 128, topLeft: false);
        Assert.That(geometry.ToImage(boxes[0].X1, boxes[0].Y1, boxes[0].X2, boxes[0].Y2)!.Value.Left, Is.EqualTo(0.6f).Within(1e-5f));

        // Red inside the box, grey outside it, padding value above the image.
        Assert.That(Pixel(tensor, 128, 90, 55), Is.EqualTo((1f, -1f, -1f)).Using<(float, float, float)>(Near));
        Assert.That(Pixel(tensor, 128, 40, 55), Is.EqualTo((0.0039f, 0.0039f, 0.0039f)).Using<(float, float, float)>(Near));
        var pad = (114 / 255f - 0.5f) / 0.5f;
        Assert.That(Pixel(tensor, 128, 64, 10), Is.EqualTo((pad, pad, pad)).Using<(float, float, float)>(Near));
    }

    [Test]
    public void AugmentedBoxesStillFrameTheObject()
    {
        var pixels = Image(out var objects);
        var augmentation = new BoxAugmentation(Spec, new BoxAugmentationOptions { Brightness = 0, Contrast = 0, Saturation = 0 });
        var tensor = new float[3 * 128 * 128];
        var boxes = new InputBox[4];
        var random = new Random(7);
        var (seen, flipped) = (0, 0);
        for (var draw = 0; draw < 40; draw++)
        {
            if (augmentation.Write(pixels, 200, 100, 800, objects, tensor, boxes, augment: true, random) == 0)
            {
                continue;
            }

            seen++;
            FramesTheRedRectangle(tensor, boxes[0], 0, 128, draw);
            flipped += (boxes[0].X1 + boxes[0].X2) / 2 < 64 ? 1 : 0;
        }

        Assert.That(seen, Is.GreaterThan(20));
        Assert.That(flipped, Is.GreaterThan(3), "horizontal flips move the right-hand object to the left");
    }

    [TestCase(0)]
    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    public void AMosaicTileStaysInItsQuarter_ItsBoxesFollowThePixelsAndAreClippedToIt(int tile)
    {
        var pixels = Image(out var red);
        // Besides the red rectangle, an object as large as the image: it reaches past the quarter whenever the image does.
        var objects = red.Append((3, new NormalizedBox(0, 0, 1, 1))).ToArray();
        var augmentation = new BoxAugmentation(Spec, new BoxAugmentationOptions { Brightness = 0, Contrast = 0, Saturation = 0 });
        var tensor = new float[3 * 128 * 128];
        var boxes = new InputBox[4];
        var random = new Random(11);
        var (seen, clipped) = (0, 0);
        for (var draw = 0; draw < 40; draw++)
        {
            Array.Fill(tensor, 99f);
            var centre = augmentation.MosaicCentre(random);
            Assert.That(centre.X, Is.InRange(32, 96));
            Assert.That(centre.Y, Is.InRange(32, 96));
            var (x0, x1) = tile % 2 == 1 ? (centre.X, 128) : (0, centre.X);
            var (y0, y1) = tile >= 2 ? (centre.Y, 128) : (0, centre.Y);
            var kept = augmentation.WriteTile(tile, centre, pixels, 200, 100, 800, objects, tensor, boxes, random);

            // Every pixel of the quarter written, none outside it.
            for (var y = 0; y < 128; y += 3)
            {
                for (var x = 0; x < 128; x += 3)
                {
                    var inside = x >= x0 && x < x1 && y >= y0 && y < y1;
                    Assert.That(Pixel(tensor, 128, x, y).Item1 == 99f, Is.EqualTo(!inside), $"draw {draw}: ({x}, {y}) for quarter [{x0}, {x1}) x [{y0}, {y1})");
                }
            }

            foreach (var box in boxes[..kept])
            {
                Assert.That(new[] { box.X1, box.X2 }, Has.All.InRange((float)x0, (float)x1), $"draw {draw}");
                Assert.That(new[] { box.Y1, box.Y2 }, Has.All.InRange((float)y0, (float)y1), $"draw {draw}");
            }

            // The far edges of the quarter, away from the centre.
            clipped += boxes[..kept].Count(x => x.Label == 3 && ((tile % 2 == 1 ? x.X2 == x1 : x.X1 == x0) || (tile >= 2 ? x.Y2 == y1 : x.Y1 == y0)));
            if (!boxes[..kept].Any(x => x.Label == 1))
            {
                continue;
            }

            seen++;
            FramesTheRedRectangle(tensor, boxes[..kept].Single(x => x.Label == 1), x0, y1, draw);
        }

        Assert.That(seen, Is.GreaterThan(10));
        Assert.That(clipped, Is.GreaterThan(0), "some boxes reach past the quarter and are cut at its edge");
    }

    [Test]
    public void AMosaicTileDropsBoxesTooSmallToSee_AndDrawsTheSameWithTheSameSeed()
    {
        var pixels = Image(out var objects);
        // A 1-pixel-wide sliver beside the red rectangle: at most half scale in a mosaic, under 2 input pixels.
        var withSliver = objects.Append((2, new NormalizedBox(0.1f, 0.1f, 0.005f, 0.5f))).ToArray();
        var augmentation = new BoxAugmentation(Spec);
        float[] Draw(int seed, out InputBox[] boxes)
        {
            var tensor = new float[3 * 128 * 128];
            boxes = new InputBox[4];
            var random = new Random(seed);
            var kept = 0;
            var centre = augmentation.MosaicCentre(random);
            for (var tile = 0; tile < 4; tile++)
            {
                kept += augmentation.WriteTile(tile, centre, pixels, 200, 100, 800, withSliver, tensor, boxes.AsSpan(kept), random);
            }

            boxes = boxes[..kept];
            return tensor;
        }

        var first = Draw(5, out var firstBoxes);
        var again = Draw(5, out var againBoxes);
        var other = Draw(6, out _);
        Assert.That(firstBoxes, Is.Not.Empty);
        Assert.That(firstBoxes.Select(b => b.Label), Has.None.EqualTo(2), "the sliver is dropped");
        Assert.That(again, Is.EqualTo(first), "the same seed draws the same mosaic");
        Assert.That(againBoxes, Is.EqualTo(firstBoxes));
        Assert.That(other, Is.Not.EqualTo(first), "another seed draws another");
    }

    // The box's centre is red; a little outside its left edge (right of `left`) and below it (above `bottom`) is not.
    private static void FramesTheRedRectangle(float[] tensor, InputBox b, int left, int bottom, int draw)
    {
        var (cx, cy) = ((int)((b.X1 + b.X2) / 2), (int)((b.Y1 + b.Y2) / 2));
        Assert.That(Pixel(tensor, 128, cx, cy).Item1, Is.EqualTo(1f).Within(0.05f), $"draw {draw}: the box's centre is red");
        if (b.X1 > left + 3)
        {
            Assert.That(Pixel(tensor, 128, (int)b.X1 - 3, cy).Item1, Is.LessThan(0.5f), $"draw {draw}: left of the box");
        }

        if (b.Y2 < bottom - 3)
        {
            Assert.That(Pixel(tensor, 128, cx, (int)b.Y2 + 2).Item1, Is.LessThan(0.5f), $"draw {draw}: below the box");
        }
    }

    private static (float, float, float) Pixel(float[] tensor, int size, int x, int y) =>
        (tensor[(y * size) + x], tensor[(size * size) + (y * size) + x], tensor[(2 * size * size) + (y * size) + x]);

    private static bool Near((float, float, float) a, (float, float, float) b) =>
        MathF.Abs(a.Item1 - b.Item1) < 0.01f && MathF.Abs(a.Item2 - b.Item2) < 0.01f && MathF.Abs(a.Item3 - b.Item3) < 0.01f;
}
