using Rekognition.Core.Evaluation;
using static Rekognition.Core.Tests.Evaluation.EvaluationCases;

namespace Rekognition.Core.Tests.Evaluation;

public class DetectionMetricsTests
{
    private const double Tolerance = 1e-9;

    [Test]
    public void IntersectionOverUnionOfKnownBoxes()
    {
        Assert.That(PixelBox.IntersectionOverUnion(Box(0, 0, 10, 10), Box(0, 0, 10, 10)), Is.EqualTo(1.0));
        Assert.That(PixelBox.IntersectionOverUnion(Box(0, 0, 10, 10), Box(1, 0, 10, 10)), Is.EqualTo(90.0 / 110).Within(Tolerance));
        Assert.That(PixelBox.IntersectionOverUnion(Box(50, 50, 10, 10), Box(50, 50, 10, 5)), Is.EqualTo(0.5));
        Assert.That(PixelBox.IntersectionOverUnion(Box(0, 0, 10, 10), Box(10, 0, 10, 10)), Is.EqualTo(0.0), "touching edges");
    }

    [Test]
    public void DuplicateOnOneBoxIsAFalsePositive()
    {
        // Scores 0.9(+) 0.8(- duplicate) 0.6(+), 3 boxes: F1 1/2, 2/5, 2/3 → threshold 0.6.
        LabelEvaluation box = ModelEvaluator.Evaluate(BoxesWithDuplicate()).LabelResults[0];

        Assert.That(box.Threshold, Is.EqualTo(0.6f));
        Assert.That((box.TruePositives, box.FalsePositives, box.FalseNegatives), Is.EqualTo((2, 1, 1)));
        Assert.That(box.Precision, Is.EqualTo(2.0 / 3).Within(Tolerance));
        Assert.That(box.Recall, Is.EqualTo(2.0 / 3).Within(Tolerance));
        Assert.That(box.F1Score, Is.EqualTo(2.0 / 3).Within(Tolerance));
        Assert.That(box.NumberOfTestingImages, Is.EqualTo(1));
        Assert.That(box.GroundTruthCount, Is.EqualTo(3));
    }

    [Test]
    public void AveragePrecisionRecallAndCocoMapByHand()
    {
        ModelEvaluation evaluation = ModelEvaluator.Evaluate(BoxesWithDuplicate());
        LabelEvaluation box = evaluation.LabelResults[0];

        // Curve (P, R): (1, 1/3) (1/2, 1/3) (2/3, 2/3); envelope 1, 2/3, 2/3.
        Assert.That(box.AveragePrecision, Is.EqualTo((1.0 / 3) + (1.0 / 3 * 2 / 3)).Within(Tolerance));
        Assert.That(box.AverageRecall, Is.EqualTo(2.0 / 3).Within(Tolerance));

        // IoU 0.5: recall points 0..0.33 (34 of them) at precision 1, 0.34..0.66 (33) at 2/3, the rest 0.
        // IoU ≥ 0.55: the 0.6 box no longer matches; 34 points at precision 1.
        double atHalf = (34 + (33 * 2.0 / 3)) / 101;
        double above = 34.0 / 101;
        Assert.That(box.CocoAveragePrecision, Is.EqualTo((atHalf + (9 * above)) / 10).Within(Tolerance));

        Assert.That(evaluation.Aggregate.AveragePrecision, Is.EqualTo(box.AveragePrecision).Within(Tolerance));
        Assert.That(evaluation.Aggregate.AverageRecall, Is.EqualTo(2.0 / 3).Within(Tolerance));
        Assert.That(evaluation.Aggregate.CocoMeanAveragePrecision, Is.EqualTo(box.CocoAveragePrecision).Within(Tolerance));
        Assert.That(evaluation.ConfusionMatrix, Is.Null);
    }

    [Test]
    public void ImageOutcomesMarkDuplicateAndMissedBox()
    {
        IReadOnlyList<EvaluatedItem> items = ModelEvaluator.Evaluate(BoxesWithDuplicate()).GetImageOutcomes(0);

        Assert.That(items.Select(i => (i.Confidence, i.Outcome, i.IsPresentInGroundTruth, i.IsPrediction)), Is.EqualTo(new[]
        {
            (0.9f, EvaluationOutcome.TruePositive, true, true),
            (0.8f, EvaluationOutcome.FalsePositive, false, true),
            (0.6f, EvaluationOutcome.TruePositive, true, true),
            (0f, EvaluationOutcome.FalseNegative, true, false),
        }));
        Assert.That(items[3].Box, Is.EqualTo(Box(20, 20, 10, 10)), "the missed box is reported with its ground-truth box");
    }

    [Test]
    public void GreedyMatchingGivesTheBoxToTheMoreConfidentPrediction()
    {
        // The 0.5 prediction fits the box exactly, but the 0.9 one (IoU 0.667) comes first and takes it.
        EvaluationInput input = Detection(["a"], new EvaluationImage
        {
            SourceRef = "s3://b/g.jpg",
            Width = 100,
            Height = 100,
            GroundTruthObjects = [new(0, Box(0, 0, 10, 10))],
            Predictions = [new(0, 0.5f, Box(0, 0, 10, 10)), new(0, 0.9f, Box(2, 0, 10, 10))],
        });

        ModelEvaluation evaluation = ModelEvaluator.Evaluate(input);
        LabelEvaluation a = evaluation.LabelResults[0];

        Assert.That((a.Threshold, a.TruePositives, a.FalsePositives, a.FalseNegatives), Is.EqualTo((0.7f, 1, 0, 0)), "midway between 0.9 and 0.5");
        Assert.That(evaluation.GetImageOutcomes(0).Select(i => i.Outcome), Is.EqualTo(new[] { EvaluationOutcome.TruePositive, EvaluationOutcome.TrueNegative }));

        // COCO: IoU 0.667 passes 0.5–0.65 (AP 1) and fails from 0.7 up, where the exact 0.5 box takes over at recall 1, precision 1/2.
        double expected = ((4 * 1.0) + (6 * 0.5)) / 10;
        Assert.That(a.CocoAveragePrecision, Is.EqualTo(expected).Within(Tolerance));
    }

    [Test]
    public void BoxesOnlyMatchTheirOwnLabel()
    {
        EvaluationInput input = Detection(["a", "b"], new EvaluationImage
        {
            SourceRef = "s3://b/l.jpg",
            Width = 100,
            Height = 100,
            GroundTruthObjects = [new(0, Box(0, 0, 10, 10))],
            Predictions = [new(1, 0.9f, Box(0, 0, 10, 10))],
        });

        ModelEvaluation evaluation = ModelEvaluator.Evaluate(input);

        Assert.That(evaluation.LabelResults[0].FalseNegatives, Is.EqualTo(1));
        Assert.That(evaluation.LabelResults[1].FalsePositives, Is.EqualTo(1));
        Assert.That(evaluation.LabelResults[1].HasGroundTruth, Is.False);
        Assert.That(evaluation.Aggregate.F1Score, Is.EqualTo(0.0));
    }

    [Test]
    public void ImageWithoutPredictionsMakesEveryBoxAFalseNegative()
    {
        EvaluationInput input = Detection(["a"], new EvaluationImage
        {
            SourceRef = "s3://b/n.jpg",
            Width = 100,
            Height = 100,
            GroundTruthObjects = [new(0, Box(0, 0, 10, 10)), new(0, Box(30, 30, 10, 10))],
        });

        ModelEvaluation evaluation = ModelEvaluator.Evaluate(input);

        Assert.That(evaluation.LabelResults[0].FalseNegatives, Is.EqualTo(2));
        Assert.That(evaluation.Aggregate.AveragePrecision, Is.EqualTo(0.0));
        Assert.That(evaluation.GetImageOutcomes(0).Select(i => i.Outcome), Is.All.EqualTo(EvaluationOutcome.FalseNegative));
    }
}
