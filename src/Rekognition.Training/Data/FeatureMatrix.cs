using System.IO.MemoryMappedFiles;

namespace Rekognition.Training.Data;

/// <summary>
/// Feature rows [count, width] (e.g. a backbone's pooled features, one row per training image), held in memory
/// while they fit <see cref="DefaultMemoryBudget"/> or the budget given, and otherwise in a temporary file mapped
/// into memory, so the operating system pages them in and out and the process's own memory stays small. It is a
/// sample source of [width, 1, 1] tensors (or of the per-sample shape given, e.g. a backbone's activations [C, H, W]),
/// so a head, or blocks and a head, train on it through <see cref="Trainers.TrainingLoop"/> directly. Rows may be written and read from several threads, each on its own rows. Dispose it to remove the file.
/// </summary>
internal sealed unsafe class FeatureMatrix : ISampleSource, IDisposable
{
    /// <summary>The default memory budget (256 MiB) above which rows go to a file.</summary>
    public const long DefaultMemoryBudget = 256L << 20;

    private readonly float[]? _memory;
    private readonly MemoryMappedFile? _file;
    private readonly MemoryMappedViewAccessor? _view;
    private readonly string? _path;
    private readonly byte* _pointer;
    private bool _disposed;

    /// <summary>Makes room for <paramref name="count"/> rows of <paramref name="width"/> floats, all zero.</summary>
    /// <param name="count">Rows (samples).</param>
    /// <param name="width">Floats per row.</param>
    /// <param name="memoryBudgetBytes">The most bytes kept in the process's memory; larger matrices go to a file.</param>
    /// <param name="directory">Where the file goes; the system's temporary folder when null.</param>
    /// <param name="sampleShape">The shape of one row as a sample (its product is <paramref name="width"/>); [width, 1, 1] when null.</param>
    public FeatureMatrix(int count, int width, long memoryBudgetBytes = DefaultMemoryBudget, string? directory = null, IReadOnlyList<int>? sampleShape = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        (Count, Width) = (count, width);
        SampleShape = Shape(width, sampleShape);
        var bytes = (long)count * width * sizeof(float);
        if (bytes <= memoryBudgetBytes && (long)count * width <= Array.MaxLength)
        {
            _memory = new float[count * width];
            return;
        }

        directory ??= Path.GetTempPath();
        Directory.CreateDirectory(directory);
        _path = Path.Combine(directory, $"features-{Guid.NewGuid():N}.bin");
        try
        {
            // DeleteOnClose: the file goes with the last handle, even if the process dies without disposing.
            var stream = new FileStream(_path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            stream.SetLength(bytes);
            _file = MemoryMappedFile.CreateFromFile(stream, null, bytes, MemoryMappedFileAccess.ReadWrite, HandleInheritability.None, leaveOpen: false);
            _view = _file.CreateViewAccessor(0, bytes, MemoryMappedFileAccess.ReadWrite);
            byte* pointer = null;
            _view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
            _pointer = pointer + _view.PointerOffset;
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>
    /// Wraps <paramref name="rows"/> (row-major [count, width], whole rows) in memory without copying them, whatever their
    /// size: for callers that already hold the features as one array.
    /// </summary>
    /// <param name="rows">The rows; the matrix reads and writes this array.</param>
    /// <param name="width">Floats per row.</param>
    /// <param name="sampleShape">The shape of one row as a sample (its product is <paramref name="width"/>); [width, 1, 1] when null.</param>
    public FeatureMatrix(float[] rows, int width, IReadOnlyList<int>? sampleShape = null)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        if (rows.Length == 0 || rows.Length % width != 0)
        {
            throw new ArgumentException($"Whole rows of {width} floats expected; got {rows.Length} floats.", nameof(rows));
        }

        (Count, Width, _memory) = (rows.Length / width, width, rows);
        SampleShape = Shape(width, sampleShape);
    }

    /// <summary>
    /// Runs <paramref name="extractor"/> over <paramref name="paths"/> a chunk of images at a time and writes the features
    /// into a new matrix, so no more than one chunk's features are held besides the matrix (which goes to a file
    /// beyond <paramref name="memoryBudgetBytes"/>). Its sample shape is the extractor's output per image when that
    /// is [C, H, W] (activations inside the backbone), else [width, 1, 1] (pooled features). With
    /// <paramref name="mirroredCopies"/> the matrix has twice the rows: the images, then the same images flipped left to
    /// right in the same order.
    /// </summary>
    public static FeatureMatrix Extract(
        FeatureExtractor extractor, IReadOnlyList<string> paths, CancellationToken cancellationToken, long memoryBudgetBytes = DefaultMemoryBudget, string? directory = null, int chunk = 256, Func<string, Stream>? open = null,
        bool mirroredCopies = false)
    {
        ArgumentNullException.ThrowIfNull(extractor);
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(paths.Count);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(chunk);
        FeatureMatrix? matrix = null;
        try
        {
            var copies = mirroredCopies ? 2 : 1;
            for (var start = 0; start < paths.Count; start += chunk)
            {
                var n = Math.Min(chunk, paths.Count - start);
                var features = extractor.Extract(paths.Skip(start).Take(n).ToList(), cancellationToken, open: open, mirroredCopies: mirroredCopies);
                var width = features.Length / (copies * n);
                matrix ??= new FeatureMatrix(copies * paths.Count, width, memoryBudgetBytes, directory, SampleShapeOf(extractor.SampleShape));
                matrix.WriteRows(start, features.AsSpan(0, n * width));
                if (mirroredCopies)
                {
                    matrix.WriteRows(paths.Count + start, features.AsSpan(n * width));
                }
            }

            return matrix!;
        }
        catch
        {
            matrix?.Dispose();
            throw;
        }
    }

    /// <summary>Rows.</summary>
    public int Count { get; }

    /// <summary>Floats per row.</summary>
    public int Width { get; }

    /// <inheritdoc />
    public IReadOnlyList<int> SampleShape { get; }

    /// <summary>Whether the rows live in a mapped file rather than in the process's memory.</summary>
    public bool OnDisk => _memory is null;

    /// <summary>Row <paramref name="index"/>, to read or write in place.</summary>
    public Span<float> Row(int index)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        return _memory is not null
            ? _memory.AsSpan(index * Width, Width)
            : new Span<float>(_pointer + ((long)index * Width * sizeof(float)), Width);
    }

    /// <summary>Writes <paramref name="rows"/> (whole rows, row-major) from row <paramref name="first"/> on.</summary>
    public void WriteRows(int first, ReadOnlySpan<float> rows)
    {
        if (rows.Length % Width != 0)
        {
            throw new ArgumentException($"Rows of {Width} floats expected; got {rows.Length} floats.", nameof(rows));
        }

        for (var r = 0; r < rows.Length / Width; r++)
        {
            rows.Slice(r * Width, Width).CopyTo(Row(first + r));
        }
    }

    /// <summary>Each column's mean and standard deviation over the rows (a head standardises its input with them).</summary>
    public (float[] Mean, float[] Std) ColumnMoments()
    {
        var sum = new double[Width];
        var square = new double[Width];
        for (var i = 0; i < Count; i++)
        {
            var row = Row(i);
            for (var j = 0; j < Width; j++)
            {
                double v = row[j];
                sum[j] += v;
                square[j] += v * v;
            }
        }

        var mean = sum.Select(s => (float)(s / Count)).ToArray();
        var std = square.Select((q, j) => (float)Math.Sqrt(Math.Max(0, (q / Count) - ((double)mean[j] * mean[j])))).ToArray();
        return (mean, std);
    }

    /// <inheritdoc />
    /// <remarks>Features are not augmented.</remarks>
    public void Write(int index, Span<float> destination, bool augment, Random random) => Row(index).CopyTo(destination);

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_view is not null)
        {
            if (_pointer != null)
            {
                _view.SafeMemoryMappedViewHandle.ReleasePointer();
            }

            _view.Dispose();
        }

        _file?.Dispose();
        if (_path is not null && File.Exists(_path))
        {
            File.Delete(_path);
        }
    }

    /// <summary>The row's shape as the extractor gave it when it is [C, H, W]; null (so [width, 1, 1]) otherwise.</summary>
    private static int[]? SampleShapeOf(long[] extracted) => extracted.Length == 3 ? extracted.Select(d => checked((int)d)).ToArray() : null;

    private static int[] Shape(int width, IReadOnlyList<int>? sampleShape)
    {
        if (sampleShape is null)
        {
            return new[] { width, 1, 1 };
        }

        if (sampleShape.Aggregate(1L, (p, d) => p * d) != width || sampleShape.Any(d => d <= 0))
        {
            throw new ArgumentException($"The sample shape [{string.Join(", ", sampleShape)}] does not hold rows of {width} floats.", nameof(sampleShape));
        }

        return sampleShape.ToArray();
    }
}
