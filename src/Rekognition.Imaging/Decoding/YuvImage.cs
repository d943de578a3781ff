using System.Buffers;

namespace Rekognition.Imaging.Decoding;

/// <summary>
/// A JPEG's decoded Y, Cb and Cr planes (full-range BT.601, as JFIF stores them) in one pooled buffer: dispose to
/// return it. The chroma planes are subsampled by <see cref="ChromaShiftX"/> / <see cref="ChromaShiftY"/> (powers of
/// two), their samples centred on the luma block they cover; the luma plane is padded to a whole chroma sample.
/// </summary>
public sealed class YuvImage : IDisposable
{
    /// <summary>Bytes past the last plane that vector loops may read (never into the result).</summary>
    public const int Slack = 32;

    private byte[]? _buffer;

    /// <summary>Planes for a <paramref name="width"/> x <paramref name="height"/> decode of a <paramref name="sourceWidth"/> x <paramref name="sourceHeight"/> image, chroma subsampled by the shifts (0 or 1).</summary>
    public YuvImage(int width, int height, int sourceWidth, int sourceHeight, int chromaShiftX, int chromaShiftY)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)chromaShiftX, 1u);
        ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)chromaShiftY, 1u);
        Width = width;
        Height = height;
        SourceWidth = sourceWidth;
        SourceHeight = sourceHeight;
        ChromaShiftX = chromaShiftX;
        ChromaShiftY = chromaShiftY;
        ChromaWidth = (width + (1 << chromaShiftX) - 1) >> chromaShiftX;
        ChromaHeight = (height + (1 << chromaShiftY) - 1) >> chromaShiftY;
        LumaStride = ChromaWidth << chromaShiftX;
        LumaRows = ChromaHeight << chromaShiftY;
        ChromaStride = ChromaWidth;
        CbOffset = LumaStride * LumaRows;
        CrOffset = CbOffset + ChromaStride * ChromaHeight;
        _buffer = ArrayPool<byte>.Shared.Rent(CrOffset + ChromaStride * ChromaHeight + Slack);
    }

    /// <summary>The decoded size (luma samples that hold the image).</summary>
    public int Width { get; }

    /// <summary>The decoded height (luma rows that hold the image).</summary>
    public int Height { get; }

    /// <summary>The image's own size (a scaled decode makes <see cref="Width"/> smaller).</summary>
    public int SourceWidth { get; }

    /// <summary>The image's own height.</summary>
    public int SourceHeight { get; }

    /// <summary>0: chroma at full horizontal resolution; 1: one chroma sample per two luma columns.</summary>
    public int ChromaShiftX { get; }

    /// <summary>0: chroma at full vertical resolution; 1: one chroma sample per two luma rows.</summary>
    public int ChromaShiftY { get; }

    /// <summary>Samples per row of each chroma plane.</summary>
    public int ChromaWidth { get; }

    /// <summary>Rows of each chroma plane.</summary>
    public int ChromaHeight { get; }

    /// <summary>Row bytes of the luma plane (the width padded to a whole chroma sample).</summary>
    public int LumaStride { get; }

    /// <summary>Rows of the luma plane (the height padded to a whole chroma sample).</summary>
    public int LumaRows { get; }

    /// <summary>Row bytes of each chroma plane.</summary>
    public int ChromaStride { get; }

    private int CbOffset { get; }

    private int CrOffset { get; }

    private byte[] Buffer => _buffer ?? throw new ObjectDisposedException(nameof(YuvImage));

    /// <summary>The luma plane and everything after it (the chroma planes, the slack): vector loops read past a row's end.</summary>
    public ReadOnlySpan<byte> LumaAndAfter => Buffer.AsSpan(0, CrOffset + ChromaStride * ChromaHeight + Slack);

    /// <summary>The Cb plane and everything after it.</summary>
    public ReadOnlySpan<byte> CbAndAfter => Buffer.AsSpan(CbOffset, CrOffset - CbOffset + ChromaStride * ChromaHeight + Slack);

    /// <summary>The Cr plane and the slack after it.</summary>
    public ReadOnlySpan<byte> CrAndAfter => Buffer.AsSpan(CrOffset, ChromaStride * ChromaHeight + Slack);

    /// <summary>The luma plane, <see cref="LumaStride"/> x <see cref="LumaRows"/> bytes, for the decoder to write.</summary>
    public Span<byte> Luma => Buffer.AsSpan(0, CbOffset);

    /// <summary>The Cb plane, <see cref="ChromaStride"/> x <see cref="ChromaHeight"/> bytes.</summary>
    public Span<byte> Cb => Buffer.AsSpan(CbOffset, CrOffset - CbOffset);

    /// <summary>The Cr plane, <see cref="ChromaStride"/> x <see cref="ChromaHeight"/> bytes.</summary>
    public Span<byte> Cr => Buffer.AsSpan(CrOffset, ChromaStride * ChromaHeight);

    /// <summary>Returns the planes' buffer to the pool; the planes cannot be read after.</summary>
    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, null);
        if (buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
