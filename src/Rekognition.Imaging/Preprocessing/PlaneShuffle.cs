namespace Rekognition.Imaging.Preprocessing;

/// <summary>
/// A gather-free way to run a paired (bilinear) <see cref="ResampleAxis"/> over a one-byte-per-sample row: the
/// samples four consecutive outputs read lie within 16 bytes of the first one's, so one 16-byte load and one byte
/// shuffle fetch both taps of four outputs. Built only when every group of four fits; null otherwise (the pass
/// then gathers).
/// </summary>
internal sealed class PlaneShuffle
{
    private PlaneShuffle(int groups)
    {
        Bases = new int[groups];
        Masks = new byte[groups * 16];
    }

    /// <summary>Per group of four outputs: the byte the 16-byte load starts at (the group's first tap).</summary>
    public int[] Bases { get; }

    /// <summary>
    /// Per group, 16 shuffle-control bytes: bytes 0-3 pick the first tap of the four outputs from the loaded
    /// window, bytes 4-7 the second, bytes 8-15 zero (0x80).
    /// </summary>
    public byte[] Masks { get; }

    public static PlaneShuffle? For(ResampleAxis axis)
    {
        if (!axis.PairedTaps || axis.Taps != 2 || axis.Output == 0)
        {
            return null;
        }

        var stride = axis.Stride;
        var groups = stride / 4;
        var shuffle = new PlaneShuffle(groups);
        var last = axis.Indices[axis.Output - 1];
        for (var g = 0; g < groups; g++)
        {
            // Outputs past Output weigh nothing: they read the last real output's pair, to stay in the window.
            var first = 4 * g < axis.Output ? axis.Indices[4 * g] : last;
            shuffle.Bases[g] = first;
            for (var k = 0; k < 4; k++)
            {
                var j = 4 * g + k;
                var index = j < axis.Output ? axis.Indices[j] : last;
                var offset = index - first;
                if (offset < 0 || offset + 1 > 15 || axis.Indices[stride + Math.Min(j, axis.Output - 1)] != index + 1)
                {
                    return null;
                }

                shuffle.Masks[g * 16 + k] = (byte)offset;
                shuffle.Masks[g * 16 + 4 + k] = (byte)(offset + 1);
            }

            for (var b = 8; b < 16; b++)
            {
                shuffle.Masks[g * 16 + b] = 0x80;
            }
        }

        return shuffle;
    }
}
