namespace Rekognition.Core.Evaluation;

/// <summary>The result of evaluating a model on its test set: per-label and aggregate metrics, and per-image outcomes.</summary>
internal sealed class ModelEvaluation
{
    private readonly int[] _predictionOffsets;
    private readonly int[] _matchedAtHalf;

    internal ModelEvaluation(
        EvaluationInput input, LabelEvaluation[] labelResults, AggregateEvaluation aggregate,
        IReadOnlyList<ConfusionMatrixCell>? confusionMatrix, int[] predictionOffsets, int[] matchedAtHalf, CocoEvaluation? coco)
    {
        Coco = coco;
        Input = input;
        LabelResults = labelResults;
        Aggregate = aggregate;
        ConfusionMatrix = confusionMatrix;
        _predictionOffsets = predictionOffsets;
        _matchedAtHalf = matchedAtHalf;
    }

    /// <summary>What was evaluated.</summary>
    public EvaluationInput Input { get; }

    /// <summary>Classification or detection.</summary>
    public EvaluationTaskType TaskType => Input.TaskType;

    /// <summary>Number of test images.</summary>
    public int NumberOfTestingImages => Input.Images.Count;

    /// <summary>One entry per label of <see cref="EvaluationInput.Labels"/>, in the same order.</summary>
    public IReadOnlyList<LabelEvaluation> LabelResults { get; }

    /// <summary>Whole-test-set metrics.</summary>
    public AggregateEvaluation Aggregate { get; }

    /// <summary>
    /// Detection only (null for classification): COCO-exact metrics as pycocotools computes them, comparable with
    /// published COCO numbers, beside the service's figures in <see cref="Aggregate"/>.
    /// </summary>
    public CocoEvaluation? Coco { get; }

    /// <summary>Classification only (null for detection): the non-zero confusion-matrix cells, by ground-truth then predicted label index.</summary>
    public IReadOnlyList<ConfusionMatrixCell>? ConfusionMatrix { get; }

    /// <summary>
    /// The labels the summary file reports: those with ground truth in the test set, best F1 first
    /// (ties by label name, ordinal).
    /// </summary>
    public IReadOnlyList<LabelEvaluation> LabelResultsByF1Score()
    {
        var reported = new List<LabelEvaluation>();
        foreach (LabelEvaluation result in LabelResults)
        {
            if (result.HasGroundTruth)
            {
                reported.Add(result);
            }
        }

        reported.Sort(static (a, b) =>
        {
            int byScore = b.F1Score.CompareTo(a.F1Score);
            return byScore != 0 ? byScore : string.CompareOrdinal(a.Label, b.Label);
        });
        return reported;
    }

    /// <summary>
    /// The outcomes on one test image at the labels' assumed thresholds: every prediction (highest confidence first),
    /// then each ground-truth item no prediction matched, as a false negative.
    /// </summary>
    public IReadOnlyList<EvaluatedItem> GetImageOutcomes(int imageIndex)
    {
        EvaluationImage image = Input.Images[imageIndex];
        bool useBoxes = TaskType == EvaluationTaskType.ObjectDetection;
        int offset = _predictionOffsets[imageIndex];
        int groundTruthCount = useBoxes ? image.GroundTruthObjects.Length : image.GroundTruthLabels.Length;
        var hit = new bool[groundTruthCount];
        var items = new List<EvaluatedItem>(image.Predictions.Length + groundTruthCount);

        for (int p = 0; p < image.Predictions.Length; p++)
        {
            PredictedLabel prediction = image.Predictions[p];
            int matched = _matchedAtHalf[offset + p];
            if (matched >= 0)
            {
                hit[matched] = true;
            }

            bool above = prediction.Confidence >= LabelResults[prediction.LabelIndex].Threshold;
            EvaluationOutcome outcome = (above, matched >= 0) switch
            {
                (true, true) => EvaluationOutcome.TruePositive,
                (true, false) => EvaluationOutcome.FalsePositive,
                (false, true) => EvaluationOutcome.FalseNegative,
                _ => EvaluationOutcome.TrueNegative,
            };
            bool present = useBoxes ? matched >= 0 : Array.IndexOf(image.GroundTruthLabels, prediction.LabelIndex) >= 0;
            items.Add(new EvaluatedItem(prediction.LabelIndex, prediction.Confidence, useBoxes ? prediction.Box : default, outcome, present, IsPrediction: true));
        }

        items.Sort(static (a, b) => b.Confidence.CompareTo(a.Confidence));
        for (int g = 0; g < groundTruthCount; g++)
        {
            if (!hit[g])
            {
                int label = useBoxes ? image.GroundTruthObjects[g].LabelIndex : image.GroundTruthLabels[g];
                PixelBox box = useBoxes ? image.GroundTruthObjects[g].Box : default;
                items.Add(new EvaluatedItem(label, 0, box, EvaluationOutcome.FalseNegative, IsPresentInGroundTruth: true, IsPrediction: false));
            }
        }

        return items;
    }
}
