using System.Diagnostics;
using Rekognition.Core.Models;
using Rekognition.Training.Backbones;
using Rekognition.Training.Data;
using Rekognition.Training.Graphs;
using Rekognition.Training.Losses;
using Rekognition.Training.Optimizers;
using Rekognition.Training.Runtime;
using Rekognition.Training.Trainers;
using SkiaSharp;

namespace Rekognition.Training.Tests.Data;

/// <summary>
/// Measures the memory of one training epoch over many photos-sized PNGs with the images held decoded
/// (<see cref="DecodedImageSource"/>) or streamed (<see cref="StreamingImageSource"/>). Run one source per process
/// (REK_MEMORY_SOURCE=decoded|streaming|streaming-nocache) so each peak working set is its own.
/// </summary>
[Explicit("measurement, not a test: run by hand, one source per process")]
public class TrainingMemoryMeasurement
{
    [Test]
    public void OneEpochPeakMemory()
    {
        var which = Environment.GetEnvironmentVariable("REK_MEMORY_SOURCE") ?? "streaming";
        var count = int.Parse(Environment.GetEnvironmentVariable("REK_MEMORY_IMAGES") ?? "1000", System.Globalization.CultureInfo.InvariantCulture);
        var folder = Path.Combine(Path.GetTempPath(), $"rek-memory-{count}");
        if (!Directory.Exists(folder) || Directory.GetFiles(folder).Length < count)
        {
            Directory.CreateDirectory(folder);
            var random = new Random(1);
            for (var i = 0; i < count; i++)
            {
                using var bitmap = new SKBitmap(320, 240);
                var pixels = new byte[320 * 240 * 4];
                random.NextBytes(pixels);
                System.Runtime.InteropServices.Marshal.Copy(pixels, 0, bitmap.GetPixels(), pixels.Length);
                using var data = bitmap.Encode(SKEncodedImageFormat.Png, 1);
                File.WriteAllBytes(Path.Combine(folder, $"img{i:D5}.png"), data.ToArray());
            }
        }

        var paths = Directory.GetFiles(folder).Order(StringComparer.Ordinal).Take(count).ToList();
        var spec = new ModelInputSpec
        {
            Name = BuiltInNetworks.Input, Width = 64, Height = 64, Layout = TensorLayout.NCHW, Resize = ResizeMode.Stretch, Scale = 1f / 255f,
            Mean = new[] { 0.485f, 0.456f, 0.406f }, Std = new[] { 0.229f, 0.224f, 0.225f },
        };
        GC.Collect();
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var clock = Stopwatch.StartNew();
        ISampleSource samples = which switch
        {
            "decoded" => new DecodedImageSource(paths, spec),
            "streaming-nocache" => new StreamingImageSource(paths, spec, cacheBytes: 0),
            _ => new StreamingImageSource(paths, spec),
        };
        var (network, trainable) = BuiltInNetworks.CompactCnn(3, 64, 3, width: 8);
        var graph = TrainingGraphBuilder.Build(network, trainable, BuiltInNetworks.Output, new SoftmaxCrossEntropyLoss(),
            new Dictionary<string, long[]> { [BuiltInNetworks.Input] = new long[] { 32, 3, 64, 64 } });
        using var session = new TrainingGraphSession(graph, 2);
        var loop = new TrainingLoop(session, new AdamWOptimizer(graph.Parameters.Select(p => p.InitialValues.Length).ToList()), samples,
            new SampleLabels(paths.Select((_, i) => i % 3).ToArray(), null, 3), new TrainingLoopOptions { Epochs = 1, Augment = true });
        loop.Run(null, CancellationToken.None);
        var retained = GC.GetTotalMemory(forceFullCollection: true) - before;
        GC.KeepAlive(samples);
        using var process = Process.GetCurrentProcess();
        TestContext.Out.WriteLine(
            $"MEMORY source={which} images={count} retainedManagedMiB={retained / 1048576.0:F1} peakWorkingSetMiB={process.PeakWorkingSet64 / 1048576.0:F1} seconds={clock.Elapsed.TotalSeconds:F1} epochSeconds={loop.EpochTimes[0].TotalSeconds:F1} dataWaitSeconds={loop.DataWait.TotalSeconds:F1}");
    }
}
