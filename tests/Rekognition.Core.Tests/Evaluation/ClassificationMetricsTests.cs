using Rekognition.Core.Evaluation;
using static Rekognition.Core.Tests.Evaluation.EvaluationCases;

namespace Rekognition.Core.Tests.Evaluation;

public class ClassificationMetricsTests
{
    private const double Tolerance = 1e-9;

    [Test]
    public void AssumedThresholdIsTheCutOffWithTheBestF1()
    {
        ModelEvaluation evaluation = ModelEvaluator.Evaluate(CatsAndDogs());

        // cat: F1 at 0.9 = 2/3, 0.65 = 1/2, 0.4 = 4/5 (best), 0.2 = 2/3, 0.05 = 4/7; the cut-off sits midway to 0.2.
        LabelEvaluation cat = evaluation.LabelResults[0];
        Assert.That(cat.Threshold, Is.EqualTo(0.3f));
        Assert.That((cat.TruePositives, cat.FalsePositives, cat.FalseNegatives), Is.EqualTo((2, 1, 0)));
        Assert.That(cat.Precision, Is.EqualTo(2.0 / 3).Within(Tolerance));
        Assert.That(cat.Recall, Is.EqualTo(1.0).Within(Tolerance));
        Assert.That(cat.F1Score, Is.EqualTo(0.8).Within(Tolerance));
        Assert.That(cat.NumberOfTestingImages, Is.EqualTo(2));

        // dog: 0.9 → 1/2, 0.8 → 4/5, 0.6 → 2/3, 0.35 → 6/7 (best), 0.1 → 3/4; midway to 0.1.
        LabelEvaluation dog = evaluation.LabelResults[1];
        Assert.That(dog.Threshold, Is.EqualTo(0.225f).Within(1e-6f));
        Assert.That((dog.TruePositives, dog.FalsePositives, dog.FalseNegatives), Is.EqualTo((3, 1, 0)));
        Assert.That(dog.Precision, Is.EqualTo(0.75).Within(Tolerance));
        Assert.That(dog.F1Score, Is.EqualTo(6.0 / 7).Within(Tolerance));
        Assert.That(dog.NumberOfTestingImages, Is.EqualTo(3));
    }

    [Test]
    public void AggregatesAreUnweightedMeansOfTheLabels()
    {
        AggregateEvaluation aggregate = ModelEvaluator.Evaluate(CatsAndDogs()).Aggregate;

        Assert.That(aggregate.Precision, Is.EqualTo(((2.0 / 3) + 0.75) / 2).Within(Tolerance));
        Assert.That(aggregate.Recall, Is.EqualTo(1.0).Within(Tolerance));
        Assert.That(aggregate.F1Score, Is.EqualTo((0.8 + (6.0 / 7)) / 2).Within(Tolerance));
        Assert.That(aggregate.AveragePrecision, Is.Null, "mAP is reported for detection only");
        Assert.That(aggregate.AverageRecall, Is.Null);
    }

    [Test]
    public void AveragePrecisionIsTheAreaUnderTheEnvelope()
    {
        // cat curve (P, R): (1, .5) (.5, .5) (2/3, 1) (.5, 1) (.4, 1) → .5 × 1 + .5 × 2/3.
        LabelEvaluation cat = ModelEvaluator.Evaluate(CatsAndDogs()).LabelResults[0];
        Assert.That(cat.AveragePrecision, Is.EqualTo(0.5 + (1.0 / 3)).Within(Tolerance));
        Assert.That(cat.PrecisionRecallCurve.Select(p => p.Threshold), Is.EqualTo(new[] { 0.9f, 0.65f, 0.4f, 0.2f, 0.05f }));
        Assert.That(cat.PrecisionRecallCurve[1].Precision, Is.EqualTo(0.5).Within(Tolerance));
    }

    [Test]
    public void ConfusionMatrixIsNormalisedPerGroundTruthLabel()
    {
        // Top predictions: cat images → cat, dog; dog images → dog, cat, dog.
        IReadOnlyList<ConfusionMatrixCell> matrix = ModelEvaluator.Evaluate(CatsAndDogs()).ConfusionMatrix!;

        Assert.That(matrix.Select(c => (c.GroundTruthLabel, c.PredictedLabel)), Is.EqualTo(new[]
        {
            ("cat", "cat"), ("cat", "dog"), ("dog", "cat"), ("dog", "dog"),
        }));
        Assert.That(matrix.Select(c => c.Value), Is.EqualTo(new[] { 0.5, 0.5, 1.0 / 3, 2.0 / 3 }).Within(Tolerance));
    }

    [Test]
    public void MultiLabelImagesPairEveryGroundTruthLabelWithTheTopPrediction()
    {
        EvaluationInput input = Classification(
            ["a", "b", "c"],
            Classified("x", [0, 1], (2, 0.9f), (0, 0.8f)),
            Classified("y", [0], (0, 0.7f)),
            Classified("z", [2]));

        IReadOnlyList<ConfusionMatrixCell> matrix = ModelEvaluator.Evaluate(input).ConfusionMatrix!;

        // x counts for a→c and b→c, y for a→a; z has no prediction and is left out.
        Assert.That(matrix, Is.EqualTo(new[]
        {
            new ConfusionMatrixCell("a", "a", 0.5), new ConfusionMatrixCell("a", "c", 0.5), new ConfusionMatrixCell("b", "c", 1.0),
        }));
    }

    [Test]
    public void EqualF1GoesToTheHigherThreshold()
    {
        // Two positives; scores 0.9(+) 0.8(-) 0.7(-) 0.6(+): F1 2/3, 1/2, 2/5, 2/3 — a tie between 0.9 and 0.6.
        EvaluationInput input = Classification(
            ["x", "other"],
            Classified("a", [0], (0, 0.9f)),
            Classified("b", [1], (0, 0.8f)),
            Classified("c", [1], (0, 0.7f)),
            Classified("d", [0], (0, 0.6f)));

        LabelEvaluation x = ModelEvaluator.Evaluate(input).LabelResults[0];

        Assert.That(x.Threshold, Is.EqualTo(0.85f), "midway between 0.9 and the next score, 0.8");
        Assert.That((x.TruePositives, x.FalsePositives, x.FalseNegatives), Is.EqualTo((1, 0, 1)));
        Assert.That(x.F1Score, Is.EqualTo(2.0 / 3).Within(Tolerance));
    }

    [Test]
    public void CutOffSitsMidwayInTheGapAndKeepsTheCounts()
    {
        // Positives at 0.999 and 0.99, negatives at 0.02 and 0.01: every cut-off in (0.02, 0.99] gives F1 1. A cut-off
        // on 0.99 itself would drop a new positive scoring 0.98; the middle of the gap keeps it and still drops 0.02.
        EvaluationInput input = Classification(
            ["x", "other"],
            Classified("a", [0], (0, 0.999f)),
            Classified("b", [0], (0, 0.99f)),
            Classified("c", [1], (0, 0.02f)),
            Classified("d", [1], (0, 0.01f)));

        LabelEvaluation x = ModelEvaluator.Evaluate(input).LabelResults[0];

        Assert.That(x.Threshold, Is.EqualTo(0.505f).Within(1e-6f));
        Assert.That((x.TruePositives, x.FalsePositives, x.FalseNegatives), Is.EqualTo((2, 0, 0)));
        Assert.That(x.F1Score, Is.EqualTo(1.0).Within(Tolerance));
    }

    [Test]
    public void MidwayNeverReachesTheLowerScore()
    {
        float lower = 0.5f;
        float kept = MathF.BitIncrement(lower);
        Assert.That(LabelMetricsCalculator.Midway(kept, lower), Is.EqualTo(kept), "adjacent floats have no middle: keep the lowest kept score");
        Assert.That(LabelMetricsCalculator.Midway(0.8f, 0.2f), Is.EqualTo(0.5f));
    }

    [Test]
    public void EqualConfidencesAreCountedTogether()
    {
        // Both 0.8 predictions fall on the same side of any cut-off: one point, TP 1 / FP 1.
        EvaluationInput input = Classification(
            ["x", "other"],
            Classified("a", [0], (0, 0.8f)),
            Classified("b", [1], (0, 0.8f)));

        LabelEvaluation x = ModelEvaluator.Evaluate(input).LabelResults[0];

        Assert.That(x.PrecisionRecallCurve, Has.Count.EqualTo(1));
        Assert.That((x.Threshold, x.TruePositives, x.FalsePositives), Is.EqualTo((0.8f, 1, 1)), "no lower score: the cut-off stays on the lowest kept one");
        Assert.That(x.F1Score, Is.EqualTo(2.0 / 3).Within(Tolerance));
    }

    [Test]
    public void LabelWithoutPredictionsScoresZeroAtTheFallbackThreshold()
    {
        EvaluationInput input = Classification(
            ["seen", "never-predicted"],
            Classified("a", [0], (0, 0.9f)),
            Classified("b", [1]),
            Classified("c", [1]));

        ModelEvaluation evaluation = ModelEvaluator.Evaluate(input);
        LabelEvaluation missed = evaluation.LabelResults[1];

        Assert.That(missed.Threshold, Is.EqualTo(0.5f));
        Assert.That((missed.TruePositives, missed.FalsePositives, missed.FalseNegatives), Is.EqualTo((0, 0, 2)));
        Assert.That((missed.Precision, missed.Recall, missed.F1Score, missed.AveragePrecision), Is.EqualTo((0.0, 0.0, 0.0, 0.0)));
        Assert.That(evaluation.Aggregate.F1Score, Is.EqualTo(0.5).Within(Tolerance), "mean of 1 and 0");
    }

    [Test]
    public void LabelWithoutGroundTruthIsLeftOutOfAggregatesAndTheSummaryOrder()
    {
        EvaluationInput input = Classification(
            ["present", "absent"],
            Classified("a", [0], (0, 0.9f), (1, 0.7f)),
            Classified("b", [0], (0, 0.8f), (1, 0.3f)));

        ModelEvaluation evaluation = ModelEvaluator.Evaluate(input);
        LabelEvaluation absent = evaluation.LabelResults[1];

        Assert.That(absent.HasGroundTruth, Is.False);
        Assert.That(absent.Threshold, Is.EqualTo(0.5f));
        Assert.That((absent.TruePositives, absent.FalsePositives, absent.FalseNegatives), Is.EqualTo((0, 1, 0)), "only 0.7 is at or above 0.5");
        Assert.That(evaluation.Aggregate.F1Score, Is.EqualTo(1.0).Within(Tolerance));
        Assert.That(evaluation.LabelResultsByF1Score().Select(r => r.Label), Is.EqualTo(new[] { "present" }));
    }

    [Test]
    public void EmptyTestSetGivesZeros()
    {
        ModelEvaluation evaluation = ModelEvaluator.Evaluate(Classification(["a"]));

        Assert.That(evaluation.Aggregate.F1Score, Is.EqualTo(0.0));
        Assert.That(evaluation.ConfusionMatrix, Is.Empty);
        Assert.That(evaluation.LabelResults[0].PrecisionRecallCurve, Is.Empty);
    }

    [Test]
    public void ImageOutcomesCompareEachPredictionWithItsLabelsThreshold()
    {
        ModelEvaluation evaluation = ModelEvaluator.Evaluate(CatsAndDogs());

        // img1 (cat): dog 0.6 ≥ 0.35 without dog in truth → FP; cat 0.4 ≥ 0.4 → TP.
        IReadOnlyList<EvaluatedItem> img1 = evaluation.GetImageOutcomes(1);
        Assert.That(img1.Select(i => (i.LabelIndex, i.Outcome, i.IsPresentInGroundTruth)), Is.EqualTo(new[]
        {
            (1, EvaluationOutcome.FalsePositive, false), (0, EvaluationOutcome.TruePositive, true),
        }));

        // img0: dog 0.1 < 0.35 and not in truth → TN.
        Assert.That(evaluation.GetImageOutcomes(0)[1].Outcome, Is.EqualTo(EvaluationOutcome.TrueNegative));
    }

    [Test]
    public void PercentConfidencesAreRejected()
    {
        EvaluationInput input = Classification(["a"], Classified("a", [0], (0, 87f)));
        Assert.That(() => ModelEvaluator.Evaluate(input), Throws.ArgumentException.With.Message.Contains("fractions"));
    }
}
