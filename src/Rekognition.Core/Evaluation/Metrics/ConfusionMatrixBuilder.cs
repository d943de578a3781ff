namespace Rekognition.Core.Evaluation;

/// <summary>
/// Builds the classification confusion matrix from each image's top prediction (highest confidence, whatever the
/// threshold). Every ground-truth label of an image is paired with that image's top prediction, so a single-label
/// image counts once and a multi-label image once per ground-truth label. Images without predictions are left out.
/// Values are normalised per ground-truth label (each ground-truth column sums to 1, as in the service's sample).
/// </summary>
internal static class ConfusionMatrixBuilder
{
    public static IReadOnlyList<ConfusionMatrixCell> Build(EvaluationInput input)
    {
        int labelCount = input.Labels.Count;
        var counts = new int[labelCount * labelCount];
        var totals = new int[labelCount];
        foreach (EvaluationImage image in input.Images)
        {
            int top = TopPrediction(image.Predictions);
            if (top < 0)
            {
                continue;
            }

            foreach (int groundTruth in image.GroundTruthLabels)
            {
                counts[(groundTruth * labelCount) + top]++;
                totals[groundTruth]++;
            }
        }

        var cells = new List<ConfusionMatrixCell>();
        for (int g = 0; g < labelCount; g++)
        {
            for (int p = 0; p < labelCount; p++)
            {
                int count = counts[(g * labelCount) + p];
                if (count > 0)
                {
                    cells.Add(new ConfusionMatrixCell(input.Labels[g], input.Labels[p], (double)count / totals[g]));
                }
            }
        }

        return cells;
    }

    // First of the highest confidences wins, so the result is deterministic for ties.
    private static int TopPrediction(ReadOnlySpan<PredictedLabel> predictions)
    {
        int top = -1;
        float best = float.NegativeInfinity;
        foreach (ref readonly PredictedLabel prediction in predictions)
        {
            if (prediction.Confidence > best)
            {
                best = prediction.Confidence;
                top = prediction.LabelIndex;
            }
        }

        return top;
    }
}
