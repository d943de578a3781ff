namespace Rekognition.Imaging.Preprocessing;

/// <summary>
/// One axis of a separable resize, computed once per source and output size: output pixel <c>j</c> is the
/// sum over taps <c>k</c> of <c>Weights[k * Stride + j] * source[Indices[k * Stride + j]]</c>. Tap-major so a
/// vector of consecutive outputs loads its indices and weights with one load each; every output has
/// <see cref="Taps"/> taps (unused ones weigh 0 and point at a valid pixel), and the outputs are padded to
/// <see cref="Stride"/>, a multiple of 8, with zero-weight taps, so vector loops need no tail.
/// </summary>
internal sealed class ResampleAxis
{
    private const int VectorFloats = 8;

    private ResampleAxis(int source, int output, int taps)
    {
        Source = source;
        Output = output;
        Taps = taps;
        Stride = (output + VectorFloats - 1) / VectorFloats * VectorFloats;
        Indices = new int[taps * Stride];
        Weights = new float[taps * Stride];
    }

    public int Source { get; }

    public int Output { get; }

    public int Taps { get; }

    /// <summary>Output count rounded up to a multiple of 8.</summary>
    public int Stride { get; }

    public int[] Indices { get; }

    public float[] Weights { get; }

    /// <summary>
    /// Whether the taps come in pairs of neighbours: an even count, and each odd tap reads the pixel right after
    /// the tap before it, so each pair can be read as one 8-byte load. Bilinear tables are built that way whenever
    /// the source has two pixels.
    /// </summary>
    public bool PairedTaps { get; private set; }

    /// <summary>The first source index output <paramref name="j"/> reads (its taps read on from there, in order).</summary>
    public int First(int j) => Indices[j];

    /// <summary>Bilinear with pixel centres aligned, in the same float arithmetic as the reference so the taps agree exactly.</summary>
    public static ResampleAxis Bilinear(int source, int output) => Bilinear(source, output, (float)source / output);

    /// <summary>
    /// As <see cref="Bilinear(int, int)"/>, <paramref name="scale"/> source pixels per output pixel (a subsampled chroma
    /// plane padded past the image covers a little less of itself than its whole width).
    /// </summary>
    public static ResampleAxis Bilinear(int source, int output, float scale)
    {
        var axis = new ResampleAxis(source, output, 2);
        for (var j = 0; j < output; j++)
        {
            var s = Math.Clamp((j + 0.5f) * scale - 0.5f, 0f, source - 1);
            var p0 = (int)s;
            var f = s - p0;
            if (p0 == source - 1 && source > 1)
            {
                // The last pixel exactly (f is 0 there): the same value as the pair (p0 - 1, p0) weighed (0, 1).
                axis.Set(j, 0, p0 - 1, 0);
                axis.Set(j, 1, p0, 1);
            }
            else
            {
                axis.Set(j, 0, p0, 1 - f);
                axis.Set(j, 1, Math.Min(p0 + 1, source - 1), f);
            }
        }

        axis.PairedTaps = source > 1;
        return axis;
    }

    /// <summary>
    /// Area averaging when downscaling (each output pixel averages the source span it covers, edge pixels by
    /// their overlap); bilinear otherwise, as OpenCV's INTER_AREA. (Pairing these taps measured no faster: with
    /// ten taps the row pass is bound by memory, not by gathers.)
    /// </summary>
    public static ResampleAxis Area(int source, int output) =>
        source <= output ? Bilinear(source, output) : Area(source, output, (double)source / output);

    /// <summary>As <see cref="Area(int, int)"/>, <paramref name="scale"/> source pixels per output pixel.</summary>
    public static ResampleAxis Area(int source, int output, double scale)
    {
        if (scale <= 1)
        {
            return Bilinear(source, output, (float)scale);
        }

        var taps = 0;
        for (var j = 0; j < output; j++)
        {
            taps = Math.Max(taps, Math.Max(1, (int)Math.Ceiling(Math.Min((j + 1) * scale, source)) - (int)(j * scale)));
        }

        var axis = new ResampleAxis(source, output, taps);
        for (var j = 0; j < output; j++)
        {
            var from = j * scale;
            var to = Math.Min((j + 1) * scale, source);
            var first = (int)from;
            for (var k = 0; k < taps; k++)
            {
                var p = first + k;
                var weight = p < to ? (Math.Min(p + 1, to) - Math.Max(p, from)) / scale : 0;
                axis.Set(j, k, Math.Min(p, source - 1), (float)weight);
            }
        }

        return axis;
    }

    private void Set(int j, int k, int index, float weight)
    {
        Indices[k * Stride + j] = index;
        Weights[k * Stride + j] = weight;
    }
}
