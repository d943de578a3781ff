using Rekognition.Core.Inference;
using Rekognition.Core.Models;
using Rekognition.Imaging.Decoding;
using Rekognition.Training.Data;
using Rekognition.Training.Detection;
using Rekognition.Training.Graphs;
using Rekognition.Training.Runtime;
using SkiaSharp;

namespace Rekognition.Training.Tests.Detection;

public class DetectionBatchesMixingTests
{
    private const int Size = 64;
    private const int Labels = 4;
    private string _directory = null!;

    [SetUp]
    public void SetUp() => _directory = Directory.CreateTempSubdirectory("rekognition-mixing-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_directory, recursive: true);

    // Sample i: a grey photo with one large white square of label i.
    private List<DetectionSample> Samples()
    {
        var samples = new List<DetectionSample>();
        for (var i = 0; i < Labels; i++)
        {
            using var bitmap = new SKBitmap(96, 96);
            using (var canvas = new SKCanvas(bitmap))
            {
                canvas.Clear(new SKColor(90, 90, 90));
                using var paint = new SKPaint { Color = SKColors.White };
                canvas.DrawRect(24, 24, 48, 48, paint);
            }

            var file = Path.Combine(_directory, $"s{i}.png");
            using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
            File.WriteAllBytes(file, data.ToArray());
            samples.Add(new DetectionSample(file, new[] { (i, new NormalizedBox(0.25f, 0.25f, 0.5f, 0.5f)) }));
        }

        return samples;
    }

    [Test]
    public void MosaicAndMixup_BringOtherImagesBoxesIntoASlot_UntilTheLastEpoch_TheSameWithTheSameSeed()
    {
        var (network, trainable, grid) = DetectorNetwork.Build(Labels, new DetectorNetworkOptions { InputSize = Size, StageWidths = new[] { 4, 4, 4, 4, 4 }, PyramidWidth = 4 });
        var graph = TrainingGraphBuilder.Build(network, trainable, DetectorNetwork.RawOutput, new DetectionLoss(grid, Labels),
            new Dictionary<string, long[]> { [DetectorNetwork.Input] = new long[] { Labels, 3, Size, Size } });
        using var session = new TrainingGraphSession(graph, threads: 1);
        var spec = new ModelInputSpec { Name = DetectorNetwork.Input, Width = Size, Height = Size, Resize = ResizeMode.Letterbox, PadValue = 114, Scale = 1f / 255f };
        var source = new DetectionBatches(Samples(), ImageDecoderFactory.Default.Decoder, new BoxAugmentation(spec), new DetectionTargets(grid, Labels), grid, Labels)
        {
            Mixing = new ImageMixingOptions { MosaicProbability = 1, MixupProbability = 1, OffForLastEpochs = 1 }, Epochs = 2,
        };
        var slots = Enumerable.Range(0, Labels).ToArray();

        // Labels whose targets appear in each slot, and the images, after filling epoch `epoch` with a seed.
        (List<int>[] Labels, float[] Images) Fill(int epoch, int seed)
        {
            var batch = new TrainingBatch(session);
            source.BeginEpoch(epoch);
            source.Fill(slots, batch, augment: true, new Random(seed));
            var classes = batch.Floats(DetectionLoss.ClassesInput).ToArray();
            var per = grid.Count * Labels;
            var seen = slots.Select(s => Enumerable.Range(0, Labels).Where(l => Enumerable.Range(0, grid.Count).Any(i => classes[(s * per) + (i * Labels) + l] > 0)).ToList()).ToArray();
            return (seen, batch.Floats(DetectionLoss.PositiveInput).ToArray().Concat(batch.Floats(DetectorNetwork.Input).ToArray()).ToArray());
        }

        var (mixed, images) = Fill(0, seed: 3);
        Assert.That(mixed.Select((m, s) => m.Count(l => l != s)).Sum(), Is.GreaterThan(2), "mixed slots learn other images' objects too");
        Assert.That(Fill(0, seed: 3).Images, Is.EqualTo(images), "the same seed mixes the same way");
        Assert.That(Fill(0, seed: 4).Images, Is.Not.EqualTo(images));

        var (plain, _) = Fill(1, seed: 3);
        for (var s = 0; s < Labels; s++)
        {
            Assert.That(plain[s], Is.EqualTo(new[] { s }), $"in the last epoch slot {s} holds only its own image");
        }
    }
}
