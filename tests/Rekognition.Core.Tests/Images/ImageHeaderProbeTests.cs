using Rekognition.Core.Images;
using Rekognition.Core.Tests.TestSupport;

namespace Rekognition.Core.Tests.Images;

public class ImageHeaderProbeTests
{

    [Test]
    public void ReadsPngSize()
    {
        var info = ImageHeaderProbe.Probe(PngBuilder.Rgb(70, 65));
        Assert.That((info.Status, info.Format, info.Width, info.Height), Is.EqualTo((ImageProbeStatus.Ok, ImageFormat.Png, 70, 65)));
    }

    [Test]
    public void ReadsJpegSizeBehindLargeAppSegmentsFromAStream()
    {
        var bytes = JpegBuilder.Header(640, 480, appPaddingBytes: 150_000);
        var info = ImageHeaderProbe.Probe(new MemoryStream(bytes));
        Assert.That((info.Status, info.Format, info.Width, info.Height), Is.EqualTo((ImageProbeStatus.Ok, ImageFormat.Jpeg, 640, 480)));
        Assert.That(ImageHeaderProbe.Probe(bytes).Width, Is.EqualTo(640));
    }

    [Test]
    public void ReadsProgressiveJpegFrame()
    {
        var info = ImageHeaderProbe.Probe(JpegBuilder.Header(300, 200, frameMarker: 0xC2));
        Assert.That((info.Width, info.Height), Is.EqualTo((300, 200)));
    }

    [Test]
    public void DecompressionBombIsReadFromTheHeaderOnly()
    {
        var bomb = PngBuilder.DeclaringSize(60_000, 60_000);
        Assert.That(bomb.Length, Is.LessThan(100));
        var before = GC.GetAllocatedBytesForCurrentThread();
        var info = ImageHeaderProbe.Probe(bomb);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.That((info.Status, info.Width, info.Height), Is.EqualTo((ImageProbeStatus.Ok, 60_000, 60_000)));
        Assert.That(allocated, Is.LessThan(10_000));
    }

    [Test]
    public void TruncatedFilesAreDetected()
    {
        var png = PngBuilder.Rgb(80, 80);
        Assert.That(ImageHeaderProbe.Probe(png.AsSpan(0, png.Length - 12)).Status, Is.EqualTo(ImageProbeStatus.Truncated));
        Assert.That(ImageHeaderProbe.Probe(png.AsSpan(0, 20)).Status, Is.EqualTo(ImageProbeStatus.Truncated));
        var jpeg = JpegBuilder.Header(80, 80);
        Assert.That(ImageHeaderProbe.Probe(jpeg.AsSpan(0, jpeg.Length - 2)).Status, Is.EqualTo(ImageProbeStatus.Truncated));
        Assert.That(ImageHeaderProbe.Probe(jpeg.AsSpan(0, 30)).Status, Is.EqualTo(ImageProbeStatus.Truncated));
    }

    [Test]
    public void NonImagesAndOtherFormatsAreUnsupported()
    {
        Assert.That(ImageHeaderProbe.Probe("hello, not an image"u8).Status, Is.EqualTo(ImageProbeStatus.UnsupportedFormat));
        Assert.That(ImageHeaderProbe.Probe([]).Status, Is.EqualTo(ImageProbeStatus.UnsupportedFormat));
        var gif = ImageHeaderProbe.Probe(SharedData.PathOf("hymenoptera/train/ants/imageNotFound.gif"));
        Assert.That((gif.Status, gif.Format), Is.EqualTo((ImageProbeStatus.UnsupportedFormat, ImageFormat.Gif)));
    }

    [Test]
    public void MissingFileIsUnreadable() =>
        Assert.That(ImageHeaderProbe.Probe(Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N") + ".jpg")).Status, Is.EqualTo(ImageProbeStatus.Unreadable));

    [Test]
    public void RealJpegsIncludingProgressiveOnes()
    {
        var progressive = ImageHeaderProbe.Probe(SharedData.PathOf("hymenoptera/train/ants/ant photos.jpg"));
        Assert.That((progressive.Status, progressive.Width, progressive.Height), Is.EqualTo((ImageProbeStatus.Ok, 343, 236)));
        var cat = ImageHeaderProbe.Probe(SharedData.PathOf("groundtruth/cat-labels/images/0002.jpg"));
        Assert.That((cat.Status, cat.Width, cat.Height), Is.EqualTo((ImageProbeStatus.Ok, 601, 453)));
        var all = Directory.GetFiles(SharedData.PathOf("hymenoptera/train"), "*.jpg", SearchOption.AllDirectories);
        Assert.That(all.Select(f => ImageHeaderProbe.Probe(f)).Count(i => !i.IsOk || i.Width == 0), Is.Zero);
    }
}
