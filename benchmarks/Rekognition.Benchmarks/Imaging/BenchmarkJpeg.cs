using Rekognition.Imaging.Decoding;
using SkiaSharp;

namespace Rekognition.Benchmarks.Imaging;

/// <summary>
/// The 1920x1080 quality-90 JPEG the imaging benchmarks decode. REKOGNITION_BENCH_JPEG names a file to use (e.g. the
/// one the OpenCV peer script's make_jpeg.py writes, so both sides read the same bytes); otherwise it is made the same
/// way with SkiaSharp (the hymenoptera ant photo, centre-cropped to 16:9, downscaled, quality 90) and kept in the
/// temporary folder for the peer script to read.
/// </summary>
internal static class BenchmarkJpeg
{
    private const string SourcePhoto = "shared/data/hymenoptera/val/ants/ants-devouring-remains-of-large-dead-insect-on-red-tile-in-Stellenbosch-South-Africa-closeup-1-DHD.jpg";

    public static byte[] Load()
    {
        var named = Environment.GetEnvironmentVariable("REKOGNITION_BENCH_JPEG");
        if (!string.IsNullOrEmpty(named))
        {
            return File.ReadAllBytes(named);
        }

        var path = Path.Combine(Path.GetTempPath(), "rekognition-imaging-1920x1080-q90.jpg");
        if (!File.Exists(path))
        {
            File.WriteAllBytes(path, Make());
        }

        Console.WriteLine($"// benchmark JPEG: {path}");
        return File.ReadAllBytes(path);
    }

    private static byte[] Make()
    {
        using var photo = new SkiaImageDecoder().Decode(File.ReadAllBytes(FindUpwards(SourcePhoto)));
        var cropHeight = photo.Width * 9 / 16;
        var top = (photo.Height - cropHeight) / 2;
        using var source = new SKBitmap(new SKImageInfo(photo.Width, photo.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        System.Runtime.InteropServices.Marshal.Copy(photo.Pixels.ToArray(), 0, source.GetPixels(), photo.RowBytes * photo.Height);
        using var frame = new SKBitmap(new SKImageInfo(1920, 1080, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        using (var canvas = new SKCanvas(frame))
        using (var image = SKImage.FromBitmap(source))
        {
            canvas.DrawImage(image, SKRect.Create(0, top, photo.Width, cropHeight), SKRect.Create(0, 0, 1920, 1080), new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear), null);
        }

        using var data = frame.Encode(SKEncodedImageFormat.Jpeg, 90);
        return data.ToArray();
    }

    private static string FindUpwards(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, relative);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"No {relative} above {AppContext.BaseDirectory}; set REKOGNITION_BENCH_JPEG to a 1920x1080 JPEG.");
    }
}
