using System.Diagnostics;
using System.Runtime.CompilerServices;
using Rekognition.Core.Model;
using Rekognition.Core.Tests.TestSupport;
using Rekognition.Core.Video;
using static Rekognition.Core.Tests.Management.TrainedModels;

namespace Rekognition.Core.Tests.Management;

public class VideoLabelTests
{
    /// <summary>Frames given in advance: (seconds, width, height).</summary>
    private sealed class ListedFrames(params (int Second, int Width, int Height)[] frames) : IVideoFrameSource
    {
        public async IAsyncEnumerable<VideoFrame> ReadFramesAsync(string videoPath, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            foreach (var (second, width, height) in frames)
            {
                await Task.Yield();
                yield return new VideoFrame(second * 25L, TimeSpan.FromSeconds(second), PngBuilder.Rgb(width, height));
            }
        }
    }

    [Test]
    public async Task EachFramesLabels_GetTheFramesTimestamp_AndRunsBecomeSegments()
    {
        await using var store = Store();
        var project = await ProjectAsync(store);
        var v1 = (await TrainAsync(store, project)).ProjectVersionArn!;
        await StartAsync(store, project, v1);
        var frames = new ListedFrames((0, 130, 64), (1, 131, 64), (2, 64, 130), (3, 132, 64));

        var timeline = await store.Video.DetectCustomLabelsInVideoAsync(v1, "clip.mp4", frames, minConfidence: 90);

        Assert.That(timeline.FramesAnalysed, Is.EqualTo(4));
        Assert.That(timeline.Labels.Select(l => (l.Timestamp, l.Name)), Is.EqualTo(new[] { (0L, "cat"), (1000L, "cat"), (2000L, "dog"), (3000L, "cat") }));
        Assert.That(timeline.Segments.Select(s => (s.Name, s.StartTimestamp, s.EndTimestamp)), Is.EqualTo(new[] { ("cat", 0L, 1000L), ("dog", 2000L, 2000L), ("cat", 3000L, 3000L) }));
        Assert.That(timeline.Segments.All(s => s.MaxConfidence >= 90), Is.True);
    }

    [Test]
    public async Task AVersionThatDoesNotRun_IsRefusedBeforeAnyFrameIsRead()
    {
        await using var store = Store();
        var project = await ProjectAsync(store);
        var v1 = (await TrainAsync(store, project)).ProjectVersionArn!;
        Assert.ThrowsAsync<ResourceNotReadyException>(() => store.Video.DetectCustomLabelsInVideoAsync(v1, "clip.mp4", new ListedFrames((0, 130, 64))));
    }

    [Test]
    public void WithoutFfmpeg_TheErrorSaysWhatToInstall()
    {
        var empty = Path.Combine(Path.GetTempPath(), "rk-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(empty);
        var error = Assert.Throws<InvalidOperationException>(() => _ = new FfmpegFrameSource(empty));
        Assert.That(error!.Message, Does.Contain("ffmpeg was not found in").And.Contain("ffmpeg and ffprobe"));
        Directory.Delete(empty);
    }

    [TestCase("25", 25.0)]
    [TestCase("30000/1001", 29.97002997)]
    public void FrameRates_AreReadAsFfprobeWritesThem(string text, double expected) =>
        Assert.That(FfmpegFrameSource.ParseRate(text + "\n", "clip.mp4"), Is.EqualTo(expected).Within(1e-6));

    [TestCase("0/0")]
    [TestCase("")]
    public void AVideoWithoutFrameRate_IsReported(string text) =>
        Assert.Throws<InvalidDataException>(() => FfmpegFrameSource.ParseRate(text, "clip.mp4"));

    [Test]
    public async Task Ffmpeg_TakesOneFramePerSecond()
    {
        Assert.That(FfmpegFrameSource.IsInstalled(), Is.True, "FFmpeg is not installed here: install it (Debian/Ubuntu: apt-get install ffmpeg).");
        var folder = Path.Combine(Path.GetTempPath(), "rk-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var video = Path.Combine(folder, "gray.mp4");
        using (var make = Process.Start("ffmpeg", new[] { "-v", "error", "-f", "lavfi", "-i", "color=c=gray:size=160x80:rate=10", "-t", "3", "-pix_fmt", "yuv420p", video })!)
        {
            await make.WaitForExitAsync();
            Assert.That(make.ExitCode, Is.Zero);
        }

        var frames = new List<VideoFrame>();
        await foreach (var frame in new FfmpegFrameSource().ReadFramesAsync(video, CancellationToken.None))
        {
            frames.Add(frame);
        }

        Assert.That(frames.Select(f => (f.Index, f.Timestamp.TotalMilliseconds)), Is.EqualTo(new[] { (0L, 0.0), (10L, 1000.0), (20L, 2000.0) }));
        Assert.That(frames[0].EncodedImage[..2], Is.EqualTo(new byte[] { 0xFF, 0xD8 }), "JPEG");
        Directory.Delete(folder, recursive: true);
    }
}
