using Rekognition.Core.Images;
using Rekognition.Core.Tests.TestSupport;
using Rekognition.Testing.Fuzzing;

namespace Rekognition.Core.Tests.Fuzzing;

/// <summary>
/// The fuzz target of <see cref="ImageHeaderProbe"/>: the in-memory probe, the stream probe (from a non-zero
/// position, with its windowed JPEG marker walk) and the file probe must give the same documented result.
/// </summary>
internal static class ImageProbeFuzzCheck
{

    /// <summary>Markers and chunk names the probe looks for.</summary>
    public static IEnumerable<byte[]> Dictionary { get; } =
    [
        [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], "IHDR"u8.ToArray(), "IEND"u8.ToArray(), [0x00, 0x00, 0x00, 0x0D],
        [0xFF, 0xD8, 0xFF], [0xFF, 0xC0], [0xFF, 0xC2], [0xFF, 0xC4], [0xFF, 0xCC], [0xFF, 0xD9], [0xFF, 0xDA], [0xFF, 0xE1, 0xFF, 0xFF],
        [0xFF, 0xFF, 0xFF], [0xFF, 0x01], [0xFF, 0xD0], [0xFF, 0xE0, 0x00, 0x02], [0xFF, 0xE0, 0x00, 0x01], "GIF89a"u8.ToArray(), "BM"u8.ToArray(),
        "RIFF\0\0\0\0WEBP"u8.ToArray(), "II*\0"u8.ToArray(), "MM\0*"u8.ToArray(),
    ];

    /// <summary>Real photos from shared/data (the smaller ones, so a run tries many inputs) and built headers.</summary>
    public static IReadOnlyList<byte[]> LoadSeeds()
    {
        var photos = new[] { "groundtruth/cat-labels/images", "coco128/images", "hymenoptera/val" }
            .SelectMany(folder => Directory.EnumerateFiles(SharedData.PathOf(folder), "*.jpg", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Take(40))
            .Where(f => new FileInfo(f).Length < 80_000)
            .Take(24)
            .Select(File.ReadAllBytes)
            .ToList();
        Assert.That(photos, Has.Count.GreaterThan(5), "too few photos under shared/data");
        photos.Add(PngBuilder.Rgb(64, 48));
        photos.Add(PngBuilder.DeclaringSize(60_000, 1));
        photos.Add(JpegBuilder.Header(640, 480));
        photos.Add(JpegBuilder.Header(300, 200, appPaddingBytes: 20_000, frameMarker: 0xC2));
        return photos;
    }

    public static void Check(FuzzInput input)
    {
        var data = input.Bytes;
        var fromMemory = ImageHeaderProbe.Probe(data);
        CheckInfo(fromMemory, data, "in memory");

        // The stream probe starts at the stream's position: put a prefix before the image.
        var prefix = data.Length % 5;
        var padded = new byte[prefix + data.Length];
        data.CopyTo(padded, prefix);
        using var stream = new MemoryStream(padded, writable: false) { Position = prefix };
        var fromStream = ImageHeaderProbe.Probe(stream);
        CheckInfo(fromStream, data, "from a stream");
        FuzzAssertionException.That(Same(fromMemory, fromStream), $"in memory {fromMemory} but from a stream {fromStream}");

        // One input in eight also goes through a file, as the validator probes images.
        if (data.Length % 8 == 5)
        {
            var path = Path.Combine(Path.GetTempPath(), $"rk-fuzz-image-{Guid.NewGuid():N}.bin");
            try
            {
                File.WriteAllBytes(path, data);
                var fromFile = ImageHeaderProbe.Probe(path);
                CheckInfo(fromFile, data, "from a file");
                FuzzAssertionException.That(Same(fromMemory, fromFile), $"in memory {fromMemory} but from a file {fromFile}");
            }
            finally
            {
                File.Delete(path);
            }
        }
    }

    private static bool Same(ImageInfo a, ImageInfo b) => (a.Status, a.Format, a.Width, a.Height) == (b.Status, b.Format, b.Width, b.Height);

    private static void CheckInfo(ImageInfo info, byte[] data, string how)
    {
        FuzzAssertionException.That(Enum.IsDefined(info.Status) && Enum.IsDefined(info.Format), $"{how}: {info}");
        FuzzAssertionException.That(info.ByteLength == data.Length, $"{how}: length {info.ByteLength} for {data.Length} bytes");
        FuzzAssertionException.That(info.Format == ImageHeaderProbe.DetectFormat(data), $"{how}: format {info.Format}, content says {ImageHeaderProbe.DetectFormat(data)}");
        if (info.IsOk)
        {
            FuzzAssertionException.That(info.Format is ImageFormat.Png or ImageFormat.Jpeg && info.Width > 0 && info.Height > 0 && info.Problem is null, $"{how}: {info}");
        }
        else
        {
            FuzzAssertionException.That(!string.IsNullOrEmpty(info.Problem) && info.Width >= 0 && info.Height >= 0, $"{how}: {info}");
        }
    }
}
