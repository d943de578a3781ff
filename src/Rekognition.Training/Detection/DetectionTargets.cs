namespace Rekognition.Training.Detection;

/// <summary>An object to find: its label index and its box in input pixels (x1, y1, x2, y2).</summary>
internal readonly record struct InputBox(int Label, float X1, float Y1, float X2, float Y2)
{
    /// <summary>Width, px.</summary>
    public float Width => X2 - X1;

    /// <summary>Height, px.</summary>
    public float Height => Y2 - Y1;
}

/// <summary>
/// Assigns objects to grid locations, as the loss needs them: each box goes to the one pyramid level its
/// longer side picks (up to 4 strides of a level; the coarsest takes the rest), and is learned by that level's cells whose centres
/// lie inside the box and within <see cref="CentreRadius"/> strides of its centre — always including the
/// cell holding the centre, so even a box smaller than a cell has one. A cell two boxes claim learns the
/// smaller box. Writes per location: positive (0/1), box target (input pixels), one-hot class.
/// </summary>
internal sealed class DetectionTargets
{
    private readonly DetectionGrid _grid;
    private readonly int _labels;

    /// <summary>Creates the assigner for <paramref name="grid"/> and <paramref name="labels"/> classes.</summary>
    public DetectionTargets(DetectionGrid grid, int labels)
    {
        _grid = grid ?? throw new ArgumentNullException(nameof(grid));
        _labels = labels;
    }

    /// <summary>Half the side of the square around a box's centre whose cells may learn it, in strides.</summary>
    public float CentreRadius { get; init; } = 2.5f;

    /// <summary>A box's longer side up to this many strides of a level goes to that level (the coarsest takes the rest).</summary>
    public float StridesPerLevel { get; init; } = 4f;

    /// <summary>
    /// Writes one image's targets: <paramref name="positive"/> [locations], <paramref name="boxes"/>
    /// [locations, 4], <paramref name="classes"/> [locations, labels]; returns the number of positive locations.
    /// </summary>
    public int Write(ReadOnlySpan<InputBox> objects, Span<float> positive, Span<float> boxes, Span<float> classes)
    {
        var count = _grid.Count;
        if (positive.Length != count || boxes.Length != count * 4 || classes.Length != count * _labels)
        {
            throw new ArgumentException("The target spans do not match the grid.");
        }

        positive.Clear();
        boxes.Clear();
        classes.Clear();
        Span<float> claimedArea = count <= 4096 ? stackalloc float[count] : new float[count];
        claimedArea.Fill(float.PositiveInfinity);
        Span<int> owner = count <= 4096 ? stackalloc int[count] : new int[count];
        owner.Fill(-1);

        for (var o = 0; o < objects.Length; o++)
        {
            var box = objects[o];
            if (box.Width <= 0 || box.Height <= 0)
            {
                continue;
            }

            var level = LevelFor(box);
            var (stride, columns, rows, first) = _grid.Levels[level];
            var (cx, cy) = ((box.X1 + box.X2) / 2, (box.Y1 + box.Y2) / 2);
            var radius = CentreRadius * stride;
            var area = box.Width * box.Height;
            var x0 = Math.Max(0, (int)MathF.Floor((Math.Max(box.X1, cx - radius) / stride) - 0.5f));
            var x1 = Math.Min(columns - 1, (int)MathF.Ceiling((Math.Min(box.X2, cx + radius) / stride) - 0.5f));
            var y0 = Math.Max(0, (int)MathF.Floor((Math.Max(box.Y1, cy - radius) / stride) - 0.5f));
            var y1 = Math.Min(rows - 1, (int)MathF.Ceiling((Math.Min(box.Y2, cy + radius) / stride) - 0.5f));
            var centreX = Math.Clamp((int)(cx / stride), 0, columns - 1);
            var centreY = Math.Clamp((int)(cy / stride), 0, rows - 1);
            for (var y = y0; y <= y1; y++)
            {
                for (var x = x0; x <= x1; x++)
                {
                    var (px, py) = ((x + 0.5f) * stride, (y + 0.5f) * stride);
                    var inside = px > box.X1 && px < box.X2 && py > box.Y1 && py < box.Y2 && MathF.Abs(px - cx) < radius && MathF.Abs(py - cy) < radius;
                    if ((inside || (x == centreX && y == centreY)) && area < claimedArea[first + (y * columns) + x])
                    {
                        claimedArea[first + (y * columns) + x] = area;
                        owner[first + (y * columns) + x] = o;
                    }
                }
            }

            // A box too small to contain any cell centre still owns its centre's cell (unless a smaller box does).
            var c = first + (centreY * columns) + centreX;
            if (area < claimedArea[c])
            {
                claimedArea[c] = area;
                owner[c] = o;
            }
        }

        return WriteOwned(objects, owner, _labels, positive, boxes, classes);
    }

    /// <summary>
    /// Writes the targets of locations whose object is known: <paramref name="owner"/>[i] is the index in
    /// <paramref name="objects"/> location i learns (-1: background); the spans must be cleared. Returns the positive count.
    /// </summary>
    internal static int WriteOwned(ReadOnlySpan<InputBox> objects, ReadOnlySpan<int> owner, int labels, Span<float> positive, Span<float> boxes, Span<float> classes)
    {
        var positives = 0;
        for (var i = 0; i < owner.Length; i++)
        {
            if (owner[i] < 0)
            {
                continue;
            }

            var box = objects[owner[i]];
            positive[i] = 1f;
            boxes[4 * i] = box.X1;
            boxes[(4 * i) + 1] = box.Y1;
            boxes[(4 * i) + 2] = box.X2;
            boxes[(4 * i) + 3] = box.Y2;
            classes[(i * labels) + box.Label] = 1f;
            positives++;
        }

        return positives;
    }

    /// <summary>The pyramid level a box is learned at.</summary>
    public int LevelFor(InputBox box)
    {
        var side = Math.Max(box.Width, box.Height);
        var levels = _grid.Levels;
        for (var l = 0; l < levels.Length - 1; l++)
        {
            if (side <= StridesPerLevel * levels[l].Stride)
            {
                return l;
            }
        }

        return levels.Length - 1;
    }
}
