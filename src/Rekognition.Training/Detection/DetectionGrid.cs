namespace Rekognition.Training.Detection;

/// <summary>
/// The prediction locations of a detector with outputs at several strides: one per cell of each level,
/// levels in stride order and cells row by row — the order of the YOLOX head's output rows, which the
/// detector's raw output and its targets share.
/// </summary>
internal sealed class DetectionGrid
{
    /// <summary>Builds the grid of a <paramref name="width"/>×<paramref name="height"/> input for <paramref name="strides"/> (ascending).</summary>
    public DetectionGrid(int width, int height, IReadOnlyList<int> strides)
        : this(width, height, strides, null)
    {
    }

    /// <summary>
    /// Builds the grid of an anchor-based head (YOLOv5's): at each level one location per anchor and cell, anchor by anchor
    /// (each anchor's cells row by row), <paramref name="anchors"/>[level] giving the anchors' sizes in input pixels.
    /// </summary>
    public DetectionGrid(int width, int height, IReadOnlyList<int> strides, IReadOnlyList<IReadOnlyList<(float Width, float Height)>>? anchors)
    {
        ArgumentNullException.ThrowIfNull(strides);
        if (strides.Count == 0 || strides.Zip(strides.Skip(1)).Any(p => p.First >= p.Second))
        {
            throw new ArgumentException("Strides must be given in ascending order.", nameof(strides));
        }

        if (anchors is not null && (anchors.Count != strides.Count || anchors.Any(a => a.Count != anchors[0].Count || a.Count == 0)))
        {
            throw new ArgumentException("Every level needs the same number of anchors (at least one).", nameof(anchors));
        }

        Width = width;
        Height = height;
        Strides = strides.ToArray();
        Anchors = anchors;
        AnchorsPerCell = anchors?[0].Count ?? 1;
        Levels = new (int Stride, int Columns, int Rows, int First)[strides.Count];
        var first = 0;
        for (var l = 0; l < strides.Count; l++)
        {
            var s = strides[l];
            if (width % s != 0 || height % s != 0)
            {
                throw new ArgumentException($"The input {width}x{height} is not a multiple of the stride {s}.", nameof(strides));
            }

            Levels[l] = (s, width / s, height / s, first);
            first += AnchorsPerCell * (width / s) * (height / s);
        }

        Count = first;
    }

    /// <summary>Input width, px.</summary>
    public int Width { get; }

    /// <summary>Input height, px.</summary>
    public int Height { get; }

    /// <summary>The strides, ascending.</summary>
    public IReadOnlyList<int> Strides { get; }

    /// <summary>The anchors' sizes per level (input pixels), for an anchor-based head; null: one anchor-free location per cell.</summary>
    public IReadOnlyList<IReadOnlyList<(float Width, float Height)>>? Anchors { get; }

    /// <summary>Locations per cell: the anchors per level, else 1.</summary>
    public int AnchorsPerCell { get; }

    /// <summary>Each level's stride, cells across and down, and the index of its first location (its first anchor's first cell).</summary>
    public (int Stride, int Columns, int Rows, int First)[] Levels { get; }

    /// <summary>Number of locations over all levels.</summary>
    public int Count { get; }

    /// <summary>Each location's cell column and row (the offsets the raw centre is relative to), [locations, 2].</summary>
    public float[] CellOffsets()
    {
        var offsets = new float[Count * 2];
        foreach (var (_, columns, rows, first) in Levels)
        {
            for (var a = 0; a < AnchorsPerCell; a++)
            {
                for (var y = 0; y < rows; y++)
                {
                    for (var x = 0; x < columns; x++)
                    {
                        var i = first + (((a * rows) + y) * columns) + x;
                        offsets[2 * i] = x;
                        offsets[(2 * i) + 1] = y;
                    }
                }
            }
        }

        return offsets;
    }

    /// <summary>Each location's stride, [locations].</summary>
    public float[] LocationStrides()
    {
        var strides = new float[Count];
        foreach (var (stride, columns, rows, first) in Levels)
        {
            strides.AsSpan(first, AnchorsPerCell * columns * rows).Fill(stride);
        }

        return strides;
    }

    /// <summary>Each location's anchor size (width, height, input pixels), [locations, 2]; only for an anchor-based head.</summary>
    public float[] AnchorSizes()
    {
        var anchors = Anchors ?? throw new InvalidOperationException("This grid has no anchors.");
        var sizes = new float[Count * 2];
        for (var l = 0; l < Levels.Length; l++)
        {
            var (_, columns, rows, first) = Levels[l];
            for (var a = 0; a < AnchorsPerCell; a++)
            {
                for (var c = 0; c < columns * rows; c++)
                {
                    var i = first + (a * columns * rows) + c;
                    (sizes[2 * i], sizes[(2 * i) + 1]) = anchors[l][a];
                }
            }
        }

        return sizes;
    }
}
