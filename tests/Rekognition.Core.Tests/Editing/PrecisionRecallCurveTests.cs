using Rekognition.Core.EvaluationViews;
using Rekognition.Core.Inference;

namespace Rekognition.Core.Tests.Editing;

/// <summary>The console's precision-recall curves: one point per distinct score, from the highest threshold down.</summary>
public class PrecisionRecallCurveTests
{
    [Test]
    public void TheSweep_CountsTruePositivesAndFalsePositivesAtEachScore()
    {
        var curve = PrecisionRecallCurves.Of("cat", [(0.9, true), (0.8, false), (0.8, true), (0.3, true), (0.1, false)]);
        Assert.That(curve.Points, Is.EqualTo(new[]
        {
            new CurvePoint(0.9, 1, 1 / 3.0),
            new CurvePoint(0.8, 2 / 3.0, 2 / 3.0),
            new CurvePoint(0.3, 3 / 4.0, 1),
            new CurvePoint(0.1, 3 / 5.0, 1),
        }));
    }

    [Test]
    public void ADetectorsCurve_IsAtBoxLevel_WithMissedBoxesLoweringRecall()
    {
        // A 200 x 100 image with two "car" boxes and one "bus" box; the model finds one car well, one car twice
        // (the duplicate is a false positive), a box where there is none, and misses the bus.
        var image = new ImageEvaluation("s3://b/i.png", ["car", "bus"],
            [("car", [0, 0, 50, 50]), ("car", [100, 0, 50, 50]), ("bus", [0, 50, 100, 50])], []);
        LabelPrediction Car(float score, float left) => new(0, score, new NormalizedBox(left / 200f, 0, 0.25f, 0.5f));
        var predictions = new[] { Car(0.9f, 0), Car(0.8f, 102), Car(0.7f, 98), Car(0.6f, 160) };
        var scores = new[] { new List<(double Score, bool Truth)>(), new List<(double Score, bool Truth)>() };
        var truth = new int[2];

        BoxMatching.Add(image, predictions, 200, 100, ["car", "bus"], scores, truth);

        Assert.That(truth, Is.EqualTo(new[] { 2, 1 }));
        Assert.That(scores[0].Select(s => s.Truth), Is.EqualTo(new[] { true, true, false, false }), "highest score first; the duplicate and the stray box are false");
        Assert.That(scores[1], Is.Empty);
        var car = PrecisionRecallCurves.Of("car", scores[0], truth[0]);
        Assert.That(car.Points[1], Is.EqualTo(new CurvePoint(0.800000011920929, 1, 1)).Using<CurvePoint>((a, b) => Math.Abs(a.Threshold - b.Threshold) < 1e-6 && a.Precision == b.Precision && a.Recall == b.Recall));
        Assert.That(car.Points[^1].Precision, Is.EqualTo(0.5));
        Assert.That(PrecisionRecallCurves.Of("bus", scores[1], truth[1]).Points, Is.Empty, "a missed box has no point to show: recall never rises");
    }
}
