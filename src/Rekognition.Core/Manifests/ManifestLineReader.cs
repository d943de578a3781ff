using System.Buffers;

namespace Rekognition.Core.Manifests;

/// <summary>
/// Splits a JSON Lines stream into lines without loading it whole. A UTF-8 byte order mark at the start
/// and the CR of CRLF endings are left out of <see cref="Current"/>. A newline at the very end does not
/// make one more (blank) line, but blank lines elsewhere are lines. Lines longer than the limit are
/// reported through <see cref="IsTooLong"/> and skipped without being buffered.
/// </summary>
internal sealed class ManifestLineReader : IDisposable
{
    private const int InitialBufferBytes = 64 * 1024;

    private readonly Stream _stream;
    private readonly int _maxLineBytes;
    private byte[] _buffer;
    private int _start;
    private int _end;
    private bool _endOfStream;
    private bool _atStart = true;
    private int _lineStart;
    private int _lineLength;

    /// <summary>Creates a reader over <paramref name="stream"/>; it does not own the stream.</summary>
    /// <param name="stream">The manifest bytes.</param>
    /// <param name="maxLineBytes">Lines longer than this many bytes (CR and LF not counted) are reported as too long.</param>
    public ManifestLineReader(Stream stream, int maxLineBytes)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxLineBytes);
        _stream = stream;
        _maxLineBytes = maxLineBytes;
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Min(InitialBufferBytes, maxLineBytes + 2));
    }

    /// <summary>The 1-based number of the current line.</summary>
    public int LineNumber { get; private set; }

    /// <summary>The bytes of the current line, without BOM, CR or LF; empty when the line is too long.</summary>
    public ReadOnlySpan<byte> Current => _buffer.AsSpan(_lineStart, _lineLength);

    /// <summary><see cref="Current"/> as memory: a view of the read buffer, valid only until the next <see cref="ReadNext"/>.</summary>
    public ReadOnlyMemory<byte> CurrentMemory => _buffer.AsMemory(_lineStart, _lineLength);

    /// <summary>Whether the current line is longer than the limit (its bytes were skipped).</summary>
    public bool IsTooLong { get; private set; }

    /// <summary>The length in bytes of the current line as it was in the input (without CR/LF), also for too-long lines.</summary>
    public long LineByteLength { get; private set; }

    /// <summary>Whether the current line started with a UTF-8 byte order mark (only line 1 can).</summary>
    public bool HadByteOrderMark { get; private set; }

    /// <summary>Whether the current line ended with CRLF.</summary>
    public bool HadCarriageReturn { get; private set; }

    /// <summary>Bytes read from the stream so far.</summary>
    public long BytesRead { get; private set; }

    /// <summary>Moves to the next line; false at the end of the stream.</summary>
    public bool ReadNext()
    {
        IsTooLong = false;
        HadByteOrderMark = false;
        HadCarriageReturn = false;
        var scanned = 0;
        while (true)
        {
            if (_atStart && !SkipByteOrderMark())
            {
                continue;
            }

            var pending = _buffer.AsSpan(_start + scanned, _end - _start - scanned);
            var newline = pending.IndexOf((byte)'\n');
            if (newline >= 0)
            {
                SetLine(_start, scanned + newline, consumed: scanned + newline + 1);
                return true;
            }

            scanned = _end - _start;
            if (_endOfStream)
            {
                if (scanned == 0)
                {
                    return false;
                }

                SetLine(_start, scanned, consumed: scanned);
                return true;
            }

            // One byte of slack: a line exactly at the limit may still have its CR pending.
            if (scanned > _maxLineBytes + 1)
            {
                SkipRestOfLongLine(scanned);
                return true;
            }

            Fill();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private bool SkipByteOrderMark()
    {
        if (_end - _start < 3 && !_endOfStream)
        {
            Fill();
            return false;
        }

        _atStart = false;
        if (_buffer.AsSpan(_start, _end - _start).StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            _start += 3;
            HadByteOrderMark = true;
        }

        return true;
    }

    private void SetLine(int start, int length, int consumed)
    {
        LineNumber++;
        if (length > 0 && _buffer[start + length - 1] == (byte)'\r')
        {
            length--;
            HadCarriageReturn = true;
        }

        _lineStart = start;
        _lineLength = length;
        LineByteLength = length;
        _start += consumed;
        if (length > _maxLineBytes)
        {
            IsTooLong = true;
            _lineLength = 0;
        }
    }

    private void SkipRestOfLongLine(long alreadyScanned)
    {
        LineNumber++;
        IsTooLong = true;
        _lineStart = 0;
        _lineLength = 0;
        var total = alreadyScanned;

        // The CR of a CRLF ending may sit at the end of an earlier buffer: remember the last byte skipped.
        var lastByte = _buffer[_end - 1];
        _start = _end;
        while (true)
        {
            if (_start == _end)
            {
                if (_endOfStream)
                {
                    break;
                }

                Fill();
                continue;
            }

            var span = _buffer.AsSpan(_start, _end - _start);
            var newline = span.IndexOf((byte)'\n');
            if (newline >= 0)
            {
                total += newline;
                if (newline > 0)
                {
                    lastByte = span[newline - 1];
                }

                _start += newline + 1;
                break;
            }

            total += span.Length;
            lastByte = span[^1];
            _start = _end;
        }

        if (lastByte == (byte)'\r')
        {
            total--;
            HadCarriageReturn = true;
        }

        LineByteLength = total;
    }

    /// <summary>Moves pending bytes to the front (growing the buffer when full) and reads more.</summary>
    private void Fill()
    {
        var pending = _end - _start;
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, pending);
            _start = 0;
            _end = pending;
        }

        if (_end == _buffer.Length)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(Math.Min(_buffer.Length * 2, _maxLineBytes + 2));
            if (bigger.Length <= _buffer.Length)
            {
                ArrayPool<byte>.Shared.Return(bigger);
                bigger = ArrayPool<byte>.Shared.Rent(_buffer.Length + 1);
            }

            Buffer.BlockCopy(_buffer, 0, bigger, 0, _end);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
        }

        var read = _stream.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0)
        {
            _endOfStream = true;
        }

        _end += read;
        BytesRead += read;
    }
}
