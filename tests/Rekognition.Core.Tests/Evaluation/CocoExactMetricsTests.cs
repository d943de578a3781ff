using Rekognition.Core.Evaluation;
using static Rekognition.Core.Tests.Evaluation.EvaluationCases;

namespace Rekognition.Core.Tests.Evaluation;

/// <summary>
/// COCO-exact metrics on hand-made cases. Each expected value is worked out from pycocotools' COCOeval rules:
/// per image and label, detections by descending score (stable), cut to 100; greedy matching at IoU 0.50:0.05:0.95
/// where a detection takes the best-IoU free counted ground truth, an ignored one (crowd, or outside the area range)
/// only when no counted one is left, crowd regions absorb any number of detections; detections on ignored ground
/// truth, and unmatched ones outside the area range, are ignored. Precision P_i = TP_i / (TP_i + FP_i) over the pooled
/// detections, made monotone from the right, sampled at recall r = 0, 0.01, …, 1 at the first point with recall ≥ r
/// (0 beyond the last recall); AP is the mean of the 101 samples. Areas: small ≤ 32², 32² ≤ medium ≤ 96², large ≥ 96²
/// (both bounds inclusive in pycocotools). -1: no label has counted ground truth for the figure.
/// Order of the expected arrays: AP, AP50, AP75, APs, APm, APl, AR1, AR10, AR100, ARs, ARm, ARl.
/// </summary>
public class CocoExactMetricsTests
{
    // pycocotools divides by TP + FP + 2.2e-16, so a perfect precision is 1 - 2.2e-16, not 1.
    private const double Tolerance = 1e-12;

    private static GroundTruthObject Truth(float left, float top, float width, float height, int label = 0) => new(label, Box(left, top, width, height));

    private static PredictedLabel Det(float score, float left, float top, float width, float height, int label = 0) => new(label, score, Box(left, top, width, height));

    private static EvaluationImage Image(string name, GroundTruthObject[] truth, params PredictedLabel[] detections) => new()
    {
        SourceRef = $"s3://bucket/{name}.jpg",
        Width = 1000,
        Height = 1000,
        GroundTruthObjects = truth,
        Predictions = detections,
    };

    private static CocoEvaluation Coco(params EvaluationImage[] images) => Coco(["object"], images);

    private static CocoEvaluation Coco(string[] labels, params EvaluationImage[] images) =>
        ModelEvaluator.Evaluate(Detection(labels, images)).Coco ?? throw new AssertionException("a detection evaluation has COCO-exact metrics");

    private static void AssertStats(CocoEvaluation coco, params double[] expected)
    {
        Assert.That(expected, Has.Length.EqualTo(12));
        Assert.Multiple(() =>
        {
            for (int i = 0; i < 12; i++)
            {
                Assert.That(coco.Stats[i], Is.EqualTo(expected[i]).Within(Tolerance), CocoEvaluation.StatNames[i]);
            }
        });
    }

    [Test]
    public void PerfectDetectorScoresOneEverywhere()
    {
        // Every box found exactly, one per image and label (so AR1 is 1 too), boxes in every area range:
        // 10x10 = 100 small, 50x50 = 2500 and 40x40 = 1600 medium, 100x100 = 10000 and 200x200 large.
        // In each range the detections on out-of-range boxes match those (ignored) boxes and are ignored.
        CocoEvaluation coco = Coco(
            ["cat", "dog"],
            Image("a", [Truth(0, 0, 10, 10, 0), Truth(300, 300, 200, 200, 1)], Det(0.9f, 0, 0, 10, 10, 0), Det(0.3f, 300, 300, 200, 200, 1)),
            Image("b", [Truth(10, 10, 50, 50, 0), Truth(500, 500, 40, 40, 1)], Det(0.5f, 10, 10, 50, 50, 0), Det(0.7f, 500, 500, 40, 40, 1)),
            Image("c", [Truth(100, 100, 100, 100, 0)], Det(0.6f, 100, 100, 100, 100, 0)));

        AssertStats(coco, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1);
        Assert.That(coco.LabelAveragePrecisions, Is.EqualTo(new[] { 1.0, 1.0 }).Within(Tolerance));
    }

    [Test]
    public void FalsePositiveAboveTruePositiveHalvesPrecision()
    {
        // One 20x20 box (area 400, small). FP at 0.9, TP at 0.8 (exact, IoU 1 at every threshold).
        // Curve: (R 0, P 0), (R 1, P 1/2); monotone: 1/2, 1/2; every recall point samples 1/2 → AP 0.5 at every IoU.
        // AR1: only the FP is kept → 0. Medium and large have no ground truth → -1.
        CocoEvaluation coco = Coco(Image("a", [Truth(0, 0, 20, 20)], Det(0.9f, 50, 50, 20, 20), Det(0.8f, 0, 0, 20, 20)));

        AssertStats(coco, 0.5, 0.5, 0.5, 0.5, -1, -1, 0, 1, 1, 1, -1, -1);
    }

    [TestCase(false, 0.5, 0.0)]
    [TestCase(true, 1.0, 1.0)]
    public void EqualScoresKeepInputOrder(bool truePositiveFirst, double expectedAp, double expectedAr1)
    {
        // FP and TP both at 0.8 on one image: the stable sort keeps the input order. FP first: as above (AP 1/2, AR1 0).
        // TP first: curve (1, 1), (1, 1/2) → every recall point samples 1 → AP 1, and the single kept detection is the TP → AR1 1.
        PredictedLabel hit = Det(0.8f, 0, 0, 20, 20), miss = Det(0.8f, 50, 50, 20, 20);
        EvaluationInput input = Detection(["object"], Image("a", [Truth(0, 0, 20, 20)], truePositiveFirst ? [hit, miss] : [miss, hit]));
        ModelEvaluation evaluation = ModelEvaluator.Evaluate(input);

        Assert.That(evaluation.Coco!.AveragePrecision, Is.EqualTo(expectedAp).Within(Tolerance));
        Assert.That(evaluation.Coco.AverageRecall1, Is.EqualTo(expectedAr1).Within(Tolerance));

        // The service's figure counts equal confidences together, one curve point (P 1/2, R 1): 0.5 whatever the order.
        Assert.That(evaluation.Aggregate.AveragePrecision, Is.EqualTo(0.5).Within(Tolerance));
    }

    [TestCase(false, 0.5)]
    [TestCase(true, 1.0)]
    public void EqualScoresAcrossImagesKeepImageOrder(bool truthImageFirst, double expectedAp)
    {
        // Image "fp" has no ground truth and a detection at 0.8; image "tp" has one box found at 0.8. Pooled in image
        // order: fp first gives AP 1/2, tp first gives AP 1 (the same two curves as above).
        EvaluationImage fp = Image("fp", [], Det(0.8f, 0, 0, 20, 20));
        EvaluationImage tp = Image("tp", [Truth(0, 0, 20, 20)], Det(0.8f, 0, 0, 20, 20));

        Assert.That(Coco(truthImageFirst ? [tp, fp] : [fp, tp]).AveragePrecision, Is.EqualTo(expectedAp).Within(Tolerance));
    }

    [Test]
    public void CrowdRegionAbsorbsSeveralDetections()
    {
        // Box N (0,0,10,10), area 100, small. Crowd region C (100,100,200,100) with area 5000.
        // d1 0.9 exactly on N: TP. d2 0.8 (110,110,20,20) and d3 0.7 (150,120,30,30) lie inside C: against a crowd
        // region IoU = intersection / detection area = 1, and a crowd region can be matched again, so both match C and
        // are ignored. d4 0.6 (280,180,40,40) covers C by 20x20 = 400 of its 1600 → 0.25: a false positive.
        // Curve over d1..d4: TP 1 1 1 1, FP 0 0 0 1, one counted box: recall 1 from the first point, precision 1 there
        // → AP 1 at every IoU; AR 1. Small: d4 (1600 > 32²) is unmatched and out of range → ignored; still 1.
        // Medium/large: N out of range and C a crowd → nothing counted → -1.
        GroundTruthObject crowd = new(0, Box(100, 100, 200, 100), IsCrowd: true, Area: 5000);
        PredictedLabel[] detections = [Det(0.9f, 0, 0, 10, 10), Det(0.8f, 110, 110, 20, 20), Det(0.7f, 150, 120, 30, 30), Det(0.6f, 280, 180, 40, 40)];

        AssertStats(Coco(Image("a", [Truth(0, 0, 10, 10), crowd], detections)), 1, 1, 1, 1, -1, -1, 1, 1, 1, 1, -1, -1);

        // The same region as an ordinary box (IoU 400/20000, 900/20000, 400/21200: none match): two boxes to find,
        // d2..d4 false positives. Precision 1, 1/2, 1/3, 1/4 at recall 1/2 → recall points 0..0.50 (51) sample 1, the
        // rest 0 → AP 51/101; the service's matching always treats it so.
        CocoEvaluation ordinary = Coco(Image("a", [Truth(0, 0, 10, 10), crowd with { IsCrowd = false }], detections));
        Assert.That(ordinary.AveragePrecision, Is.EqualTo(51.0 / 101).Within(Tolerance));
        Assert.That(ordinary.AverageRecall100, Is.EqualTo(0.5).Within(Tolerance));
    }

    [Test]
    public void AreaRangesIgnoreOutOfRangeBoxesAndDetections()
    {
        // S (0,0,20,20) area 400 small; L (100,100,100,100) area 10000 large. Detections: X 0.95 (300,300,100,100)
        // matching nothing, area 10000; dS 0.9 exactly on S; dL 0.8 exactly on L.
        // All: X FP, dS TP, dL TP, 2 boxes: precision 0, 1/2, 2/3 at recall 0, 1/2, 1; monotone 2/3 everywhere → AP 2/3.
        // Small: X unmatched and out of range → ignored; dS TP; dL matches L, ignored here → ignored. AP 1.
        // Medium: S and L both out of range → -1.
        // Large: X unmatched, in range → FP; dS matches the ignored S → ignored; dL TP: precision 0, 0, 1/2 at recall
        // 0, 0, 1; monotone 1/2 → AP 1/2.
        // AR1: one detection per image, X → 0. AR10/AR100 1; ARs 1, ARl 1.
        CocoEvaluation coco = Coco(Image(
            "a",
            [Truth(0, 0, 20, 20), Truth(100, 100, 100, 100)],
            Det(0.95f, 300, 300, 100, 100), Det(0.9f, 0, 0, 20, 20), Det(0.8f, 100, 100, 100, 100)));

        AssertStats(coco, 2.0 / 3, 2.0 / 3, 2.0 / 3, 1, -1, 0.5, 0, 1, 1, 1, -1, 1);
    }

    [Test]
    public void AreaBoundsAreInclusiveAndCocoAreaWins()
    {
        // A 32x32 box has area exactly 32² = 1024: pycocotools ignores a box only when area < lo or area > hi, so it
        // counts as small and as medium.
        CocoEvaluation boundary = Coco(Image("a", [Truth(0, 0, 32, 32)], Det(0.9f, 0, 0, 32, 32)));
        Assert.That((boundary.AveragePrecisionSmall, boundary.AveragePrecisionMedium, boundary.AveragePrecisionLarge), Is.EqualTo((1.0, 1.0, -1.0)).Within(Tolerance));

        // A 40x40 box (1600, medium by its box) whose COCO area is 900: small by area. In medium the box is ignored and
        // the detection on it with it → -1.
        CocoEvaluation byArea = Coco(Image("a", [new GroundTruthObject(0, Box(0, 0, 40, 40), Area: 900)], Det(0.9f, 0, 0, 40, 40)));
        Assert.That((byArea.AveragePrecisionSmall, byArea.AveragePrecisionMedium), Is.EqualTo((1.0, -1.0)).Within(Tolerance));
    }

    [Test]
    public void ImageWithoutGroundTruthAddsFalsePositives()
    {
        // "a": box (0,0,50,50), area 2500 (medium), found at 0.6. "b": no ground truth, a detection at 0.9. "c": nothing.
        // Pooled: b's FP, then a's TP: precision 0, 1/2 at recall 0, 1 → AP 1/2. Each image keeps its one detection
        // at maxDets 1, so AR1 = 1. Small and large have nothing counted → -1; medium as all.
        CocoEvaluation coco = Coco(
            Image("a", [Truth(0, 0, 50, 50)], Det(0.6f, 0, 0, 50, 50)),
            Image("b", [], Det(0.9f, 0, 0, 50, 50)),
            Image("c", []));

        AssertStats(coco, 0.5, 0.5, 0.5, -1, 0.5, -1, 1, 1, 1, -1, 1, -1);
    }

    [Test]
    public void LabelWithoutGroundTruthIsLeftOutOfTheMeans()
    {
        // "a" is found exactly; "b" has only a detection and no ground truth anywhere; "c" has nothing. b and c are -1
        // and out of every mean, so every defined figure is a's: 1 (the box is 50x50, medium).
        CocoEvaluation coco = Coco(
            ["a", "b", "c"],
            Image("x", [Truth(0, 0, 50, 50, 0)], Det(0.9f, 0, 0, 50, 50, 0), Det(0.8f, 0, 0, 50, 50, 1)));

        AssertStats(coco, 1, 1, 1, -1, 1, -1, 1, 1, 1, -1, 1, -1);
        Assert.That(coco.LabelAveragePrecisions, Is.EqualTo(new[] { 1.0, -1.0, -1.0 }).Within(Tolerance));
    }

    [Test]
    public void MaxDetectionsOneKeepsOnlyTheTopDetection()
    {
        // Two boxes found exactly at 0.9 and 0.8: AP 1, AR10 = AR100 = 1; with one detection per image only the first
        // counts → AR1 = 1/2.
        CocoEvaluation coco = Coco(Image(
            "a", [Truth(0, 0, 10, 10), Truth(50, 50, 10, 10)], Det(0.9f, 0, 0, 10, 10), Det(0.8f, 50, 50, 10, 10)));

        AssertStats(coco, 1, 1, 1, 1, -1, -1, 0.5, 1, 1, 1, -1, -1);
    }

    [TestCase(99, 0.01, 1.0)]
    [TestCase(100, 0.0, 0.0)]
    public void HundredDetectionsPerImageAndLabelAreKept(int falsePositives, double expectedAp, double expectedAr100)
    {
        // n false positives at 0.9, then the exact hit at 0.1. With 99 the hit is the 100th: precision 1/100 at recall 1,
        // made monotone to 1/100 everywhere → AP 0.01, AR100 1. With 100 the hit is cut → AP 0, AR100 0. AR10 is 0 both times.
        var detections = Enumerable.Repeat(Det(0.9f, 500, 500, 10, 10), falsePositives).Append(Det(0.1f, 0, 0, 10, 10)).ToArray();
        CocoEvaluation coco = Coco(Image("a", [Truth(0, 0, 10, 10)], detections));

        Assert.That(coco.AveragePrecision, Is.EqualTo(expectedAp).Within(Tolerance));
        Assert.That(coco.AverageRecall100, Is.EqualTo(expectedAr100).Within(Tolerance));
        Assert.That(coco.AverageRecall10, Is.EqualTo(0.0));
    }

    [Test]
    public void HundredAndOnePointInterpolationOnThreeDetections()
    {
        // Boxes G1 (0,0,10,10), G2 (50,50,10,10), G3 (100,100,10,10), all area 100 (small).
        // d1 0.9 exactly on G1; d2 0.8 on nothing; d3 0.7 (50,50,8,9) on G2 with IoU 72/100 = 0.72.
        // IoU 0.50..0.70 (5 thresholds): TP FP TP → recall 1/3, 1/3, 2/3, precision 1, 1/2, 2/3, monotone 1, 2/3, 2/3.
        //   r = 0.00..0.33 (34 points) → 1; r = 0.34..0.66 (33 points) → 2/3; r ≥ 0.67 → 0. AP = (34 + 22) / 101 = 56/101.
        // IoU 0.75..0.95 (5 thresholds): TP FP FP → recall 1/3 throughout → 34 points at 1 → AP = 34/101.
        // AP = (5·56 + 5·34) / 1010 = 45/101; AP50 = 56/101; AP75 = 34/101. Recall 2/3 (5×) and 1/3 (5×) → AR 1/2;
        // AR1 keeps d1 only → 1/3.
        EvaluationInput input = Detection(["object"], Image(
            "a",
            [Truth(0, 0, 10, 10), Truth(50, 50, 10, 10), Truth(100, 100, 10, 10)],
            Det(0.9f, 0, 0, 10, 10), Det(0.8f, 200, 200, 10, 10), Det(0.7f, 50, 50, 8, 9)));
        ModelEvaluation evaluation = ModelEvaluator.Evaluate(input);

        AssertStats(evaluation.Coco!, 45.0 / 101, 56.0 / 101, 34.0 / 101, 45.0 / 101, -1, -1, 1.0 / 3, 0.5, 0.5, 0.5, -1, -1);

        // The service's figure for the same detections: all-point AP at IoU 0.5 = 1·1/3 + 2/3·1/3 = 5/9, not 56/101.
        Assert.That(evaluation.Aggregate.AveragePrecision, Is.EqualTo(5.0 / 9).Within(Tolerance));
    }

    [Test]
    public void EqualIouGoesToTheLaterGroundTruth()
    {
        // G1 (0,0,10,10) and G2 (2,0,10,10); d1 0.9 at (1,0,10,10) has IoU 90/110 with both, d2 0.8 at (0,0,10,10) has
        // IoU 1 with G1 and 80/120 with G2. pycocotools keeps a candidate whose IoU is not below the best so far, so
        // d1 takes G2 (the later one) and d2 then takes G1: IoU 0.50..0.80 (7 thresholds) both TP → AP 1.
        // IoU 0.85..0.95: d1 matches nothing, d2 takes G1: precision 0, 1/2 at recall 0, 1/2 → 51 points at 1/2.
        // AP = (7 + 3 · 25.5/101) / 10. (Had d1 taken G1, IoU 0.70..0.80 would lose d2 as well.)
        CocoEvaluation coco = Coco(Image("a", [Truth(0, 0, 10, 10), Truth(2, 0, 10, 10)], Det(0.9f, 1, 0, 10, 10), Det(0.8f, 0, 0, 10, 10)));

        Assert.That(coco.AveragePrecision, Is.EqualTo((7 + (3 * 25.5 / 101)) / 10).Within(Tolerance));
        Assert.That(coco.AveragePrecision75, Is.EqualTo(1.0).Within(Tolerance));
    }

    [Test]
    public void ClassificationHasNoCocoMetrics()
    {
        Assert.That(ModelEvaluator.Evaluate(CatsAndDogs()).Coco, Is.Null);
    }

    [Test]
    public void ServiceFiguresOnYoloStyleBoxesStayAsBefore()
    {
        // BoxesWithDuplicate: the service's AP 5/9 (all-point, IoU 0.5) is unchanged; COCO-exact on the same input:
        // sorted 0.9 (exact on A) TP, 0.8 duplicate FP, 0.6 on B with IoU exactly 0.5 → TP at IoU 0.5 only.
        // IoU 0.5: 56/101 (as in the three-detection case); IoU ≥ 0.55: 34/101 → AP = (56 + 9·34) / 1010.
        ModelEvaluation evaluation = ModelEvaluator.Evaluate(BoxesWithDuplicate());

        Assert.That(evaluation.Aggregate.AveragePrecision, Is.EqualTo(5.0 / 9).Within(Tolerance));
        Assert.That(evaluation.Coco!.AveragePrecision, Is.EqualTo((56.0 + (9 * 34)) / 1010).Within(Tolerance));
        Assert.That(evaluation.Coco.AveragePrecision50, Is.EqualTo(56.0 / 101).Within(Tolerance));
    }
}
