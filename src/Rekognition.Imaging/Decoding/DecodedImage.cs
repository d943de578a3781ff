using System.Buffers;

namespace Rekognition.Imaging.Decoding;

/// <summary>
/// Decoded RGBA8888 pixels in a pooled buffer: dispose to return it. <see cref="Width"/> and <see cref="Height"/>
/// are the decoded size (which a scaled decode makes smaller than the image); <see cref="SourceWidth"/> and
/// <see cref="SourceHeight"/> the image's own size, orientation applied.
/// </summary>
public sealed class DecodedImage : IDisposable
{
    private byte[]? _buffer;

    public DecodedImage(int width, int height, int sourceWidth, int sourceHeight)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        Width = width;
        Height = height;
        SourceWidth = sourceWidth;
        SourceHeight = sourceHeight;
        RowBytes = width * 4;
        _buffer = ArrayPool<byte>.Shared.Rent(RowBytes * height);
    }

    public int Width { get; }

    public int Height { get; }

    public int SourceWidth { get; }

    public int SourceHeight { get; }

    /// <summary>Bytes from one row to the next (Width * 4).</summary>
    public int RowBytes { get; }

    /// <summary>The pixels, row after row, R, G, B, A bytes.</summary>
    public Span<byte> Pixels => (_buffer ?? throw new ObjectDisposedException(nameof(DecodedImage))).AsSpan(0, RowBytes * Height);

    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, null);
        if (buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
