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
    {
        ArgumentNullException.ThrowIfNull(strides);
        if (strides.Count == 0 || strides.Zip(strides.Skip(1)).Any(p => p.First >= p.Second))
        {
            throw new ArgumentException("Strides must be given in ascending order.", nameof(strides));
        }

        Width = width;
        Height = height;
        Strides = strides.ToArray();
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
            first += (width / s) * (height / s);
        }

        Count = first;
    }

    /// <summary>Input width, px.</summary>
    public int Width { get; }

    /// <summary>Input height, px.</summary>
    public int Height { get; }

    /// <summary>The strides, ascending.</summary>
    public IReadOnlyList<int> Strides { get; }

    /// <summary>Each level's stride, cells across and down, and the index of its first location.</summary>
    public (int Stride, int Columns, int Rows, int First)[] Levels { get; }

    /// <summary>Number of locations over all levels.</summary>
    public int Count { get; }

    /// <summary>Each location's cell column and row (the offsets the raw centre is relative to), [locations, 2].</summary>
    public float[] CellOffsets()
    {
        var offsets = new float[Count * 2];
        foreach (var (_, columns, rows, first) in Levels)
        {
            for (var y = 0; y < rows; y++)
            {
                for (var x = 0; x < columns; x++)
                {
                    var i = first + (y * columns) + x;
                    offsets[2 * i] = x;
                    offsets[(2 * i) + 1] = y;
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
            strides.AsSpan(first, columns * rows).Fill(stride);
        }

        return strides;
    }
}
