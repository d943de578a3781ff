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

    /// <summary>Rents a pixel buffer for a <paramref name="width"/> x <paramref name="height"/> image decoded from one of <paramref name="sourceWidth"/> x <paramref name="sourceHeight"/>.</summary>
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

    /// <summary>The decoded width, in pixels.</summary>
    public int Width { get; }

    /// <summary>The decoded height, in pixels.</summary>
    public int Height { get; }

    /// <summary>The encoded image's width, in pixels (after EXIF orientation).</summary>
    public int SourceWidth { get; }

    /// <summary>The encoded image's height, in pixels (after EXIF orientation).</summary>
    public int SourceHeight { get; }

    /// <summary>Bytes from one row to the next (Width * 4).</summary>
    public int RowBytes { get; }

    /// <summary>The pixels, row after row, R, G, B, A bytes.</summary>
    public Span<byte> Pixels => (_buffer ?? throw new ObjectDisposedException(nameof(DecodedImage))).AsSpan(0, RowBytes * Height);

    /// <summary>Returns the pixel buffer to the pool.</summary>
    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, null);
        if (buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
