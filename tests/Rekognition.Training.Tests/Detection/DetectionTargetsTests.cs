using Rekognition.Training.Detection;

namespace Rekognition.Training.Tests.Detection;

public class DetectionTargetsTests
{
    private static readonly DetectionGrid Grid = new(128, 128, DetectorNetwork.Strides);

    private static (float[] Positive, float[] Boxes, float[] Classes, int Count) Assign(params InputBox[] objects)
    {
        var positive = new float[Grid.Count];
        var boxes = new float[Grid.Count * 4];
        var classes = new float[Grid.Count * 3];
        var count = new DetectionTargets(Grid, 3).Write(objects, positive, boxes, classes);
        return (positive, boxes, classes, count);
    }

    private static IEnumerable<(int Level, int X, int Y, int Index)> Positives(float[] positive)
    {
        for (var l = 0; l < Grid.Levels.Length; l++)
        {
            var (_, columns, rows, first) = Grid.Levels[l];
            for (var i = 0; i < columns * rows; i++)
            {
                if (positive[first + i] == 1f)
                {
                    yield return (l, i % columns, i / columns, first + i);
                }
            }
        }
    }

    [Test]
    public void GridListsLevelsInStrideOrderRowByRow()
    {
        Assert.That(Grid.Count, Is.EqualTo((16 * 16) + (8 * 8) + (4 * 4)));
        var offsets = Grid.CellOffsets();
        var strides = Grid.LocationStrides();
        // Location 17 is level 0, row 1, column 1; location 256 the first of level 1.
        Assert.That((offsets[34], offsets[35], strides[17]), Is.EqualTo((1f, 1f, 8f)));
        Assert.That((offsets[512], offsets[513], strides[256]), Is.EqualTo((0f, 0f, 16f)));
        Assert.Throws<ArgumentException>(() => new DetectionGrid(100, 128, DetectorNetwork.Strides));
    }

    [Test]
    public void MidSizedBoxIsLearnedByCellsInsideItNearItsCentre()
    {
        // 24 px box: longer side ≤ 4 strides of 8 → level 0; radius 2.5 strides = 20 px covers it; cell centres at 8x + 4.
        var (positive, boxes, classes, count) = Assign(new InputBox(2, 20, 30, 44, 54));
        var cells = Positives(positive).ToList();
        Assert.That(cells.All(c => c.Level == 0), Is.True);
        Assert.That(count, Is.EqualTo(cells.Count));
        Assert.That(cells.Select(c => c.X).Distinct().Order(), Is.EqualTo(new[] { 3, 4 }));
        Assert.That(cells.Select(c => c.Y).Distinct().Order(), Is.EqualTo(new[] { 4, 5, 6 }));
        var first = cells[0].Index;
        Assert.That(boxes.AsSpan(first * 4, 4).ToArray(), Is.EqualTo(new[] { 20f, 30f, 44f, 54f }));
        Assert.That(classes.AsSpan(first * 3, 3).ToArray(), Is.EqualTo(new[] { 0f, 0f, 1f }));
    }

    [Test]
    public void LargeBoxGoesToACoarseLevelAndTinyBoxKeepsItsCentreCell()
    {
        var large = Positives(Assign(new InputBox(0, 4, 4, 124, 100)).Positive).ToList();
        Assert.That(large.Select(c => c.Level).Distinct(), Is.EqualTo(new[] { 2 }));

        var tiny = Positives(Assign(new InputBox(1, 50, 50, 53, 53)).Positive).ToList();
        Assert.That(tiny, Has.Count.EqualTo(1));
        Assert.That((tiny[0].Level, tiny[0].X, tiny[0].Y), Is.EqualTo((0, 6, 6)));
    }

    [Test]
    public void CellClaimedByTwoBoxesLearnsTheSmallerOne()
    {
        var (positive, boxes, classes, _) = Assign(new InputBox(0, 8, 8, 40, 40), new InputBox(1, 20, 20, 36, 36));
        var centre = Positives(positive).Single(c => c is { Level: 0, X: 3, Y: 3 });
        Assert.That(boxes.AsSpan(centre.Index * 4, 4).ToArray(), Is.EqualTo(new[] { 20f, 20f, 36f, 36f }));
        var other = Positives(positive).Single(c => c is { Level: 0, X: 1, Y: 1 });
        Assert.That(boxes.AsSpan(other.Index * 4, 4).ToArray(), Is.EqualTo(new[] { 8f, 8f, 40f, 40f }));
        Assert.That(classes[(centre.Index * 3) + 1], Is.EqualTo(1f));
        Assert.That(classes[centre.Index * 3], Is.EqualTo(0f));
    }

    [Test]
    public void EmptyAndDegenerateBoxesGiveNoPositives()
    {
        Assert.That(Assign().Count, Is.Zero);
        Assert.That(Assign(new InputBox(0, 10, 10, 10, 30), new InputBox(0, 30, 30, 20, 40)).Count, Is.Zero);
    }
}
