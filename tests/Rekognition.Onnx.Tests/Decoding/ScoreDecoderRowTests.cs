using Rekognition.Core.Models;
using Rekognition.Onnx.Detection.Decoding;

namespace Rekognition.Onnx.Tests.Decoding;

/// <summary>The list view the host returns agrees with the array decoder, for every kind and format.</summary>
public class ScoreDecoderRowTests
{
    [TestCase(ModelKind.MultiClass, OutputFormat.Logits)]
    [TestCase(ModelKind.MultiLabel, OutputFormat.Logits)]
    [TestCase(ModelKind.MultiClass, OutputFormat.Probabilities)]
    public void DecodeRow_EqualsDecode(ModelKind kind, OutputFormat format)
    {
        float[] row = [2.5f, -1f, 0.25f, 7f, 0f];

        var view = ScoreDecoder.DecodeRow(row, kind, format);
        var array = ScoreDecoder.Decode(row, kind, format);

        Assert.That(view, Has.Count.EqualTo(row.Length));
        Assert.That(view, Is.EqualTo(array));
        Assert.That(Enumerable.Range(0, view.Count).Select(i => view[i]), Is.EqualTo(array));
    }
}
