using Rekognition.Core.Inference;
using Rekognition.Core.Models;
using Rekognition.Imaging.Preprocessing;
using Rekognition.Onnx.Detection.Decoding;

namespace Rekognition.Onnx.Tests.Decoding;

public class DecodingTests
{
    [Test]
    public void Letterbox_MapsInputPixelsBackToImageRatios()
    {
        // A 640x480 image letterboxed into 416x416: scale 0.65, 416x312, padded 52 px above (centred).
        var centred = InputGeometry.Letterbox(640, 480, 416, 416, topLeft: false);
        Assert.That(centred.ScaleX, Is.EqualTo(0.65f).Within(1e-6));
        Assert.That(centred.PadY, Is.EqualTo(52f).Within(1e-4));
        var box = centred.ToImage(65, 52 + 65, 130, 52 + 130)!.Value;
        Assert.That(box.Left, Is.EqualTo(100f / 640).Within(1e-5));
        Assert.That(box.Top, Is.EqualTo(100f / 480).Within(1e-5));
        Assert.That(box.Width, Is.EqualTo(100f / 640).Within(1e-5));
        Assert.That(box.Height, Is.EqualTo(100f / 480).Within(1e-5));

        var topLeft = InputGeometry.Letterbox(640, 480, 416, 416, topLeft: true);
        Assert.That(topLeft.ToImage(0, 0, 416, 312)!.Value, Is.EqualTo(new NormalizedBox(0, 0, 1, 1)));
        Assert.That(topLeft.ToImage(0, 330, 416, 416), Is.Null, "a box entirely in the padding is dropped");
        var stretched = InputGeometry.Stretch(200, 100, 224, 224).ToImage(-10, 0, 112, 112)!.Value;
        Assert.That(stretched.Left, Is.EqualTo(0f));
        Assert.That(stretched.Width, Is.EqualTo(0.5f).Within(1e-6));
    }

    [Test]
    public void Nms_SuppressesOverlapsWithinALabelOnly()
    {
        var candidates = new[]
        {
            new DetectionCandidate(0, 0, 10, 10, 0.9f, 0),
            new DetectionCandidate(1, 1, 11, 11, 0.8f, 0), // IoU 81/119 = 0.68 with the first: suppressed
            new DetectionCandidate(1, 1, 11, 11, 0.7f, 1), // another label: kept
            new DetectionCandidate(20, 20, 30, 30, 0.6f, 0), // apart: kept
            new DetectionCandidate(5, 0, 15, 10, 0.95f, 0), // IoU 50/150 = 0.33 with the first: kept at 0.5
        };
        var kept = NonMaximumSuppression.Apply(candidates, 0.5f);
        Assert.That(candidates.Take(kept).Select(c => c.Score), Is.EqualTo(new[] { 0.95f, 0.9f, 0.7f, 0.6f }));
        Assert.That(new DetectionCandidate(0, 0, 10, 10, 1, 0).IoU(new DetectionCandidate(1, 1, 11, 11, 1, 0)), Is.EqualTo(81f / 119f).Within(1e-6));
    }

    [Test]
    public void YoloX_DecodesGridOffsetsAndLogSizesOverThreeStrides()
    {
        // A 64x64 input: grids 8x8 (stride 8), 4x4 (16), 2x2 (32) = 84 anchors, 2 labels.
        const int anchors = 64 + 16 + 4, width = 7;
        var output = new float[anchors * width];
        // Anchor 9 = stride 8, cell (1, 1): centre offset 0.5 -> (12, 12), size exp(ln 2) * 8 = 16.
        Set(output, 9, width, 0.5f, 0.5f, MathF.Log(2), MathF.Log(2), 0.9f, 0.1f, 0.8f);
        // Anchor 64 + 5 = stride 16, cell (1, 1): offset 0 -> (16, 16), size 16.
        Set(output, 69, width, 0f, 0f, 0f, 0f, 0.5f, 0.9f, 0.0f);
        var candidates = new List<DetectionCandidate>();
        YoloDecoder.Decode(output, new[] { anchors, width }, OutputFormat.YoloX, 2, 64, 64, 0.05f, candidates);
        Assert.That(candidates, Is.EquivalentTo(new[]
        {
            new DetectionCandidate(4, 4, 20, 20, 0.9f * 0.1f, 0),
            new DetectionCandidate(4, 4, 20, 20, 0.9f * 0.8f, 1),
            new DetectionCandidate(8, 8, 24, 24, 0.5f * 0.9f, 0),
        }).Using<DetectionCandidate>(Close));
        Assert.Throws<InvalidOperationException>(() => YoloDecoder.Decode(output, new[] { anchors, width }, OutputFormat.YoloX, 2, 96, 96, 0.05f, candidates));
    }

    [Test]
    public void YoloV5AndV8_ReadPixelBoxes()
    {
        var v5 = new float[2 * 7];
        Set(v5, 1, 7, 50, 40, 20, 10, 0.5f, 0.2f, 0.9f);
        var candidates = new List<DetectionCandidate>();
        YoloDecoder.Decode(v5, new[] { 2, 7 }, OutputFormat.YoloV5, 2, 640, 640, 0.25f, candidates);
        Assert.That(candidates, Is.EqualTo(new[] { new DetectionCandidate(40, 35, 60, 45, 0.45f, 1) }).Using<DetectionCandidate>(Close));

        // YOLOv8: [4 + 2 labels, 3 anchors], column-major per anchor.
        var v8 = new float[6 * 3];
        float[] box = { 100, 80, 40, 20 };
        for (var r = 0; r < 4; r++)
        {
            v8[r * 3 + 2] = box[r];
        }

        v8[4 * 3 + 2] = 0.7f;
        v8[5 * 3 + 0] = 0.9f; // anchor 0 has a box of zeros: still decoded, it is the model's output
        candidates.Clear();
        YoloDecoder.Decode(v8, new[] { 6, 3 }, OutputFormat.YoloV8, 2, 640, 640, 0.5f, candidates);
        Assert.That(candidates, Is.EquivalentTo(new[] { new DetectionCandidate(80, 70, 120, 90, 0.7f, 0), new DetectionCandidate(0, 0, 0, 0, 0.9f, 1) }).Using<DetectionCandidate>(Close));
    }

    [Test]
    public void DetectionDecoder_SuppressesCapsAndMapsToTheImage()
    {
        var metadata = new ModelPackageMetadata { Kind = ModelKind.Detection, Labels = { "a", "b" }, MaxDetections = 2, NmsIouThreshold = 0.5f, Output = { Format = OutputFormat.YoloX } };
        var candidates = new List<DetectionCandidate>
        {
            new(0, 0, 100, 100, 0.9f, 0), new(2, 2, 100, 100, 0.85f, 0), new(200, 200, 300, 300, 0.8f, 1), new(300, 300, 400, 400, 0.7f, 1),
        };
        var predictions = DetectionDecoder.Finish(candidates, metadata, InputGeometry.Stretch(800, 800, 400, 400));
        Assert.That(predictions, Has.Count.EqualTo(2));
        Assert.That(predictions[1].LabelIndex, Is.EqualTo(1));
        Assert.That(predictions[1].Box!.Value, Is.EqualTo(new NormalizedBox(0.5f, 0.5f, 0.25f, 0.25f)));
    }

    [Test]
    public void ScoreDecoder_AppliesSoftmaxOrSigmoidToLogits()
    {
        var softmax = ScoreDecoder.Decode(new[] { 1f, 2f, 3f }, ModelKind.MultiClass, OutputFormat.Logits);
        var e = new[] { MathF.Exp(1), MathF.Exp(2), MathF.Exp(3) };
        Assert.That(softmax.Select(p => p.Score), Is.EqualTo(e.Select(x => x / e.Sum())).Within(1e-6));
        var sigmoid = ScoreDecoder.Decode(new[] { 0f, 2f }, ModelKind.MultiLabel, OutputFormat.Logits);
        Assert.That(sigmoid.Select(p => p.Score), Is.EqualTo(new[] { 0.5f, 1 / (1 + MathF.Exp(-2)) }).Within(1e-6));
        var asIs = ScoreDecoder.Decode(new[] { 0.2f, 0.8f }, ModelKind.MultiClass, OutputFormat.Probabilities);
        Assert.That(asIs.Select(p => (p.LabelIndex, p.Score)), Is.EqualTo(new[] { (0, 0.2f), (1, 0.8f) }));
    }

    [Test]
    public void ScoreDecoder_LargeLogits_GiveProbabilities_NotNaN()
    {
        // A confident fine-tuned classifier's logits: exp(150) overflows a float, the shifted softmax does not.
        var confident = ScoreDecoder.Decode(new[] { 150f, -150f }, ModelKind.MultiClass, OutputFormat.Logits);
        Assert.That(confident.Select(p => p.Score), Is.EqualTo(new[] { 1f, 0f }).Within(1e-6));
        var shifted = ScoreDecoder.Decode(new[] { 1000f, 999f }, ModelKind.MultiClass, OutputFormat.Logits);
        Assert.That(shifted.Select(p => p.Score), Is.EqualTo(new[] { 1 / (1 + MathF.Exp(-1)), 1 / (1 + MathF.Exp(1)) }).Within(1e-6));
        var labels = ScoreDecoder.Decode(new[] { 200f, -200f }, ModelKind.MultiLabel, OutputFormat.Logits);
        Assert.That(labels.Select(p => p.Score), Is.EqualTo(new[] { 1f, 0f }).Within(1e-6));
    }

    private static void Set(float[] output, int anchor, int width, params float[] values) => values.CopyTo(output, anchor * width);

    private static int Close(DetectionCandidate a, DetectionCandidate b) =>
        a.LabelIndex == b.LabelIndex && Math.Abs(a.X1 - b.X1) < 1e-3 && Math.Abs(a.Y1 - b.Y1) < 1e-3 && Math.Abs(a.X2 - b.X2) < 1e-3 &&
        Math.Abs(a.Y2 - b.Y2) < 1e-3 && Math.Abs(a.Score - b.Score) < 1e-5 ? 0 : 1;
}
