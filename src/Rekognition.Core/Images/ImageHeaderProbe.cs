using System.Buffers;
using System.Buffers.Binary;

namespace Rekognition.Core.Images;

/// <summary>
/// Reads the format and pixel size of PNG and JPEG images from their headers, without decoding pixels and
/// without allocating anything sized by what the header declares (a 100-byte PNG claiming 60000×60000
/// costs the same as any other). The format comes from the content, never from the file name. A file
/// is taken as truncated when its end marker (PNG <c>IEND</c> chunk, JPEG <c>EOI</c>) is missing from its
/// last bytes, which catches cut uploads without reading the whole file. Thread-safe.
/// </summary>
public static class ImageHeaderProbe
{
    /// <summary>Bytes read at the start of a file; JPEG marker walks that go further seek on.</summary>
    private const int HeadBytes = 16 * 1024;

    /// <summary>Bytes at the end searched for the end marker (some writers pad after it).</summary>
    private const int TailBytes = 1024;

    private static ReadOnlySpan<byte> PngSignature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    private static ReadOnlySpan<byte> PngIend => "IEND"u8;

    /// <summary>Probes the file at <paramref name="path"/>.</summary>
    public static ImageInfo Probe(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.RandomAccess);
            return ProbeSeekable(stream);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return ImageInfo.Failed(ImageProbeStatus.Unreadable, ImageFormat.Unknown, 0, ex is FileNotFoundException or DirectoryNotFoundException ? "no file at this location" : "the file cannot be read: " + ex.Message);
        }
    }

    /// <summary>Probes <paramref name="stream"/> from its current position to its end (a stream that cannot seek is read whole).</summary>
    public static ImageInfo Probe(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (stream.CanSeek)
        {
            return ProbeSeekable(stream);
        }

        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return Probe(copy.GetBuffer().AsSpan(0, (int)copy.Length));
    }

    /// <summary>Probes an image held in memory (e.g. the bytes of a DetectCustomLabels request).</summary>
    public static ImageInfo Probe(ReadOnlySpan<byte> data)
    {
        var format = DetectFormat(data);
        return format switch
        {
            ImageFormat.Png => ProbePng(data, data.Length, data[Math.Max(0, data.Length - TailBytes)..]),
            ImageFormat.Jpeg => ProbeJpegInMemory(data),
            _ => Unsupported(format, data.Length),
        };
    }

    /// <summary>The format that <paramref name="head"/> (the first bytes of a file) starts with.</summary>
    public static ImageFormat DetectFormat(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith(PngSignature))
        {
            return ImageFormat.Png;
        }

        if (head.Length >= 3 && head[0] == 0xFF && head[1] == 0xD8 && head[2] == 0xFF)
        {
            return ImageFormat.Jpeg;
        }

        if (head.StartsWith("GIF87a"u8) || head.StartsWith("GIF89a"u8))
        {
            return ImageFormat.Gif;
        }

        if (head.StartsWith("BM"u8))
        {
            return ImageFormat.Bmp;
        }

        if (head.Length >= 12 && head.StartsWith("RIFF"u8) && head[8..12].SequenceEqual("WEBP"u8))
        {
            return ImageFormat.WebP;
        }

        if (head.StartsWith("II*\0"u8) || head.StartsWith("MM\0*"u8))
        {
            return ImageFormat.Tiff;
        }

        return ImageFormat.Unknown;
    }

    private static ImageInfo ProbeSeekable(Stream stream)
    {
        var origin = stream.Position;
        var length = stream.Length - origin;
        var buffer = ArrayPool<byte>.Shared.Rent(HeadBytes + TailBytes);
        try
        {
            var headLength = ReadAt(stream, origin, buffer.AsSpan(0, (int)Math.Min(HeadBytes, length)));
            var head = buffer.AsSpan(0, headLength);
            var format = DetectFormat(head);
            if (format is not (ImageFormat.Png or ImageFormat.Jpeg))
            {
                return Unsupported(format, length);
            }

            var tailLength = (int)Math.Min(TailBytes, length);
            var tail = buffer.AsSpan(HeadBytes, ReadAt(stream, origin + length - tailLength, buffer.AsSpan(HeadBytes, tailLength)));
            if (format == ImageFormat.Png)
            {
                return ProbePng(head, length, tail);
            }

            var size = FindJpegFrame(stream, origin, length, buffer.AsSpan(0, HeadBytes), headLength, out var width, out var height, out var problem);
            return FinishJpeg(size, width, height, length, problem, tail);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static ImageInfo ProbePng(ReadOnlySpan<byte> head, long length, ReadOnlySpan<byte> tail)
    {
        // Signature (8) + IHDR chunk length (4) + type (4) + width (4) + height (4).
        if (head.Length < 24)
        {
            return ImageInfo.Failed(ImageProbeStatus.Truncated, ImageFormat.Png, length, "the PNG file ends inside its header");
        }

        if (BinaryPrimitives.ReadUInt32BigEndian(head[8..]) != 13 || !head[12..16].SequenceEqual("IHDR"u8))
        {
            return ImageInfo.Failed(ImageProbeStatus.Corrupt, ImageFormat.Png, length, "the PNG file does not start with an IHDR chunk");
        }

        var width = BinaryPrimitives.ReadUInt32BigEndian(head[16..]);
        var height = BinaryPrimitives.ReadUInt32BigEndian(head[20..]);
        if (width == 0 || height == 0 || width > int.MaxValue || height > int.MaxValue)
        {
            return ImageInfo.Failed(ImageProbeStatus.Corrupt, ImageFormat.Png, length, $"the PNG header declares an impossible size {width}x{height}");
        }

        if (tail.LastIndexOf(PngIend) < 0)
        {
            return new ImageInfo(ImageProbeStatus.Truncated, ImageFormat.Png, (int)width, (int)height, length, "the PNG file has no IEND chunk at its end (it is truncated)");
        }

        return new ImageInfo(ImageProbeStatus.Ok, ImageFormat.Png, (int)width, (int)height, length, null);
    }

    private static ImageInfo ProbeJpegInMemory(ReadOnlySpan<byte> data)
    {
        long position = 2;
        var walk = WalkJpegMarkers(data, 0, ref position, out var width, out var height, out var problem);
        if (walk == JpegWalk.NeedMore)
        {
            walk = JpegWalk.Truncated;
        }

        return FinishJpeg(walk, width, height, data.Length, problem, data[Math.Max(0, data.Length - TailBytes)..]);
    }

    private static JpegWalk FindJpegFrame(Stream stream, long origin, long length, Span<byte> window, int windowLength, out int width, out int height, out string? problem)
    {
        long position = 2;
        long windowStart = 0;
        while (true)
        {
            var walk = WalkJpegMarkers(window[..windowLength], windowStart, ref position, out width, out height, out problem);
            if (walk != JpegWalk.NeedMore)
            {
                return walk;
            }

            if (position + 4 > length || (windowStart == position && windowLength == length - position))
            {
                return JpegWalk.Truncated;
            }

            // The next marker lies past the bytes in hand (large EXIF or ICC segments): read from there.
            windowStart = position;
            windowLength = ReadAt(stream, origin + position, window[..(int)Math.Min(window.Length, length - position)]);
        }
    }

    /// <summary>Walks JPEG segments from <paramref name="position"/> (absolute) to the first frame header (SOFn).</summary>
    private static JpegWalk WalkJpegMarkers(ReadOnlySpan<byte> window, long windowStart, ref long position, out int width, out int height, out string? problem)
    {
        width = 0;
        height = 0;
        problem = null;
        while (true)
        {
            var at = position - windowStart;
            if (at + 4 > window.Length)
            {
                return JpegWalk.NeedMore;
            }

            var offset = (int)at;
            if (window[offset] != 0xFF)
            {
                problem = $"no JPEG marker at byte {position}";
                return JpegWalk.Corrupt;
            }

            var marker = window[offset + 1];
            if (marker == 0xFF)
            {
                position++;
                continue;
            }

            if (marker is 0x01 or 0xD8 or (>= 0xD0 and <= 0xD7))
            {
                position += 2;
                continue;
            }

            if (marker is 0xD9 or 0xDA)
            {
                problem = "the JPEG file has no frame header before its image data";
                return JpegWalk.Corrupt;
            }

            var segmentLength = BinaryPrimitives.ReadUInt16BigEndian(window[(offset + 2)..]);
            if (segmentLength < 2)
            {
                problem = $"a JPEG segment at byte {position} has an invalid length";
                return JpegWalk.Corrupt;
            }

            if (IsStartOfFrame(marker))
            {
                if (offset + 9 > window.Length)
                {
                    return JpegWalk.NeedMore;
                }

                height = BinaryPrimitives.ReadUInt16BigEndian(window[(offset + 5)..]);
                width = BinaryPrimitives.ReadUInt16BigEndian(window[(offset + 7)..]);
                if (width == 0 || height == 0)
                {
                    problem = $"the JPEG frame header declares a size of {width}x{height}";
                    return JpegWalk.Corrupt;
                }

                return JpegWalk.Found;
            }

            position += 2 + segmentLength;
        }
    }

    private static bool IsStartOfFrame(byte marker) =>
        marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC;

    private static ImageInfo FinishJpeg(JpegWalk walk, int width, int height, long length, string? problem, ReadOnlySpan<byte> tail)
    {
        switch (walk)
        {
            case JpegWalk.Truncated:
                return ImageInfo.Failed(ImageProbeStatus.Truncated, ImageFormat.Jpeg, length, "the JPEG file ends before its frame header");
            case JpegWalk.Corrupt:
                return ImageInfo.Failed(ImageProbeStatus.Corrupt, ImageFormat.Jpeg, length, problem ?? "the JPEG header is malformed");
        }

        // Inside entropy-coded data 0xFF is always followed by 0x00 or a restart marker, so FF D9 near the end is the real EOI.
        if (!ContainsEndOfImage(tail))
        {
            return new ImageInfo(ImageProbeStatus.Truncated, ImageFormat.Jpeg, width, height, length, "the JPEG file has no end-of-image marker (it is truncated)");
        }

        return new ImageInfo(ImageProbeStatus.Ok, ImageFormat.Jpeg, width, height, length, null);
    }

    private static bool ContainsEndOfImage(ReadOnlySpan<byte> tail)
    {
        for (var i = tail.Length - 2; i >= 0; i--)
        {
            if (tail[i] == 0xFF && tail[i + 1] == 0xD9)
            {
                return true;
            }
        }

        return false;
    }

    private static ImageInfo Unsupported(ImageFormat format, long length) =>
        ImageInfo.Failed(ImageProbeStatus.UnsupportedFormat, format, length, format == ImageFormat.Unknown
            ? "the content is not a PNG or JPEG image"
            : $"the image is {format.ToString().ToUpperInvariant()}; only PNG and JPEG are supported");

    private static int ReadAt(Stream stream, long position, Span<byte> destination)
    {
        stream.Position = position;
        return stream.ReadAtLeast(destination, destination.Length, throwOnEndOfStream: false);
    }

    private enum JpegWalk
    {
        Found,
        NeedMore,
        Truncated,
        Corrupt,
    }
}
