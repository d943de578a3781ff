using Rekognition.Core.EvaluationViews;

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
}
