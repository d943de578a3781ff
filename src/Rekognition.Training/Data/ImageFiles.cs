using System.Buffers;
using Rekognition.Imaging.Decoding;

namespace Rekognition.Training.Data;

/// <summary>Reads training images from disk for the batch sources.</summary>
internal static class ImageFiles
{
    /// <summary>Opens an image file through <paramref name="open"/> (the job's, confined to the store's roots), or plainly when it is null.</summary>
    public static Stream Open(string path, Func<string, Stream>? open) =>
        open is null ? new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan) : open(path);

    /// <summary>The whole content of an image file, opened through <paramref name="open"/>.</summary>
    public static byte[] ReadAll(string path, Func<string, Stream>? open)
    {
        using var file = Open(path, open);
        var bytes = new byte[checked((int)file.Length)];
        file.ReadExactly(bytes);
        return bytes;
    }

    /// <summary>
    /// Decodes the file at <paramref name="path"/> (scaled towards <paramref name="width"/> x <paramref name="height"/>),
    /// reading it into a pooled buffer: photos are mostly larger than the large-object threshold, and a new array per
    /// image per step would keep the collector busy. <paramref name="open"/> opens the file (null: plainly).
    /// </summary>
    public static DecodedImage Decode(IImageDecoder decoder, string path, int width, int height, Func<string, Stream>? open = null)
    {
        using var file = Open(path, open);
        var length = checked((int)file.Length);
        var encoded = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            file.ReadExactly(encoded, 0, length);
            return decoder.Decode(encoded.AsSpan(0, length), width, height);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(encoded);
        }
    }
}
