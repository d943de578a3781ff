using Rekognition.Core.Inference;
using Rekognition.Core.Models;

namespace Rekognition.Core.Tests.Inference;

public class CustomLabelFilterTests
{
    private static readonly ModelPackageMetadata Metadata = new()
    {
        Kind = ModelKind.Detection,
        Labels = { "comparator", "ir_led", "resistor" },
        AssumedThresholds = { ["comparator"] = 0.9f, ["ir_led"] = 0.3f },
        DefaultThreshold = 0.5f,
    };

    private static readonly LabelPrediction[] Predictions =
    {
        new(0, 0.91f, new NormalizedBox(0.441f, 0.2932f, 0.1123f, 0.0871f)),
        new(0, 0.85f, new NormalizedBox(0.1f, 0.1f, 0.2f, 0.2f)),
        new(1, 0.35f, new NormalizedBox(0.7f, 0.6f, 0.04f, 0.04f)),
        new(2, 0.5f),
        new(2, 0.49f),
    };

    [Test]
    public void WithoutMinConfidence_EachLabelUsesItsAssumedThreshold()
    {
        var labels = CustomLabelFilter.Apply(Predictions, Metadata, minConfidence: null, maxResults: null);
        Assert.That(labels.Select(l => (l.Name, l.Confidence)), Is.EqualTo(new (string, float?)[]
        {
            ("comparator", 91f), ("resistor", 50f), ("ir_led", 35f),
        }).Using<(string?, float?)>((a, b) => a.Item1 == b.Item1 && Math.Abs(a.Item2!.Value - b.Item2!.Value) < 1e-4 ? 0 : 1));
    }

    [Test]
    public void WithMinConfidence_ThresholdsAreIgnored_AndEqualityIsKept()
    {
        var labels = CustomLabelFilter.Apply(Predictions, Metadata, minConfidence: 49f, maxResults: null);
        Assert.That(labels.Select(l => l.Name), Is.EqualTo(new[] { "comparator", "comparator", "resistor", "resistor" }));
        Assert.That(CustomLabelFilter.Apply(Predictions, Metadata, 0f, null), Has.Count.EqualTo(5));
        Assert.That(CustomLabelFilter.Apply(Predictions, Metadata, 100f, null), Is.Empty);
    }

    [Test]
    public void MaxResults_KeepsTheMostConfident()
    {
        var labels = CustomLabelFilter.Apply(Predictions, Metadata, 0f, 2);
        Assert.That(labels.Select(l => l.Confidence!.Value), Is.EqualTo(new[] { 91f, 85f }).Within(1e-4f));
        Assert.That(CustomLabelFilter.Apply(Predictions, Metadata, 0f, 0), Is.Empty);
    }

    [Test]
    public void Boxes_GetTheServiceGeometry_AndImageLevelLabelsNone()
    {
        var labels = CustomLabelFilter.Apply(Predictions, Metadata, 0f, null);
        var top = labels[0].Geometry!;
        Assert.That(top.BoundingBox!.Left, Is.EqualTo(0.441f));
        Assert.That(top.BoundingBox.Top, Is.EqualTo(0.2932f));
        Assert.That(top.Polygon.Select(p => (p.X!.Value, p.Y!.Value)), Is.EqualTo(new[]
        {
            (0.441f, 0.2932f), (0.441f + 0.1123f, 0.2932f), (0.441f + 0.1123f, 0.2932f + 0.0871f), (0.441f, 0.2932f + 0.0871f),
        }));
        Assert.That(labels.Single(l => l.Name == "resistor" && l.Confidence > 49.5f).Geometry, Is.Null);
    }

    [Test]
    public void UnknownLabelIndicesAndNaNScores_AreDropped()
    {
        var labels = CustomLabelFilter.Apply(new[] { new LabelPrediction(7, 0.9f), new LabelPrediction(0, float.NaN), new LabelPrediction(1, 1.5f) }, Metadata, 0f, null);
        Assert.That(labels.Single().Name, Is.EqualTo("ir_led"));
        Assert.That(labels.Single().Confidence, Is.EqualTo(100f));
    }
}
