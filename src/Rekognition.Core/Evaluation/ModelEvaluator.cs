namespace Rekognition.Core.Evaluation;

/// <summary>
/// Evaluates a model's predictions on its test set the way Rekognition Custom Labels does: matching, assumed
/// thresholds, per-label and aggregate metrics, and (beyond the service) precision–recall curves and, for detection,
/// COCO-exact metrics (<see cref="ModelEvaluation.Coco"/>).
/// </summary>
internal static class ModelEvaluator
{
    /// <summary>Computes every metric for <paramref name="input"/>.</summary>
    /// <exception cref="ArgumentException">A label index is out of range or a confidence is outside [0, 1].</exception>
    public static ModelEvaluation Evaluate(EvaluationInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        int labelCount = input.Labels.Count;
        IReadOnlyList<EvaluationImage> images = input.Images;
        bool useBoxes = input.TaskType == EvaluationTaskType.ObjectDetection;

        var predictionOffsets = new int[images.Count + 1];
        for (int i = 0; i < images.Count; i++)
        {
            predictionOffsets[i + 1] = predictionOffsets[i] + images[i].Predictions.Length;
        }

        int total = predictionOffsets[images.Count];
        var masks = new ushort[total];
        var matchedAtHalf = new int[total];
        var groundTruthCounts = new int[labelCount];
        var imagesWithLabel = new int[labelCount];
        var predictionCounts = new int[labelCount];
        var lastImageWithLabel = new int[labelCount];
        Array.Fill(lastImageWithLabel, -1);

        var matcher = new PredictionMatcher();
        for (int i = 0; i < images.Count; i++)
        {
            EvaluationImage image = images[i];
            Validate(image, labelCount, useBoxes);
            int offset = predictionOffsets[i];
            int count = image.Predictions.Length;
            matcher.Match(image, useBoxes, masks.AsSpan(offset, count), matchedAtHalf.AsSpan(offset, count));

            if (useBoxes)
            {
                foreach (ref readonly GroundTruthObject item in image.GroundTruthObjects.AsSpan())
                {
                    CountGroundTruth(item.LabelIndex, i, groundTruthCounts, imagesWithLabel, lastImageWithLabel);
                }
            }
            else
            {
                foreach (int label in image.GroundTruthLabels)
                {
                    CountGroundTruth(label, i, groundTruthCounts, imagesWithLabel, lastImageWithLabel);
                }
            }

            foreach (ref readonly PredictedLabel prediction in image.Predictions.AsSpan())
            {
                predictionCounts[prediction.LabelIndex]++;
            }
        }

        // Group predictions by label (counting sort), then sort each label's run once by descending confidence.
        var labelOffsets = new int[labelCount + 1];
        for (int l = 0; l < labelCount; l++)
        {
            labelOffsets[l + 1] = labelOffsets[l] + predictionCounts[l];
        }

        var cursor = labelOffsets.AsSpan(0, labelCount).ToArray();
        var negatedConfidences = new float[total];
        var sortedMasks = new ushort[total];
        for (int i = 0; i < images.Count; i++)
        {
            int offset = predictionOffsets[i];
            PredictedLabel[] predictions = images[i].Predictions;
            for (int p = 0; p < predictions.Length; p++)
            {
                int position = cursor[predictions[p].LabelIndex]++;
                negatedConfidences[position] = -predictions[p].Confidence;
                sortedMasks[position] = masks[offset + p];
            }
        }

        var calculator = new LabelMetricsCalculator();
        var labelResults = new LabelEvaluation[labelCount];
        for (int l = 0; l < labelCount; l++)
        {
            int start = labelOffsets[l];
            int length = predictionCounts[l];
            Span<float> keys = negatedConfidences.AsSpan(start, length);
            Span<ushort> runMasks = sortedMasks.AsSpan(start, length);
            keys.Sort(runMasks);
            labelResults[l] = calculator.Compute(input.Labels[l], l, keys, runMasks, groundTruthCounts[l], imagesWithLabel[l]);
        }

        AggregateEvaluation aggregate = Aggregate(labelResults, useBoxes);
        IReadOnlyList<ConfusionMatrixCell>? confusionMatrix = useBoxes ? null : ConfusionMatrixBuilder.Build(input);
        CocoEvaluation? coco = useBoxes ? CocoEvaluator.Evaluate(input) : null;
        return new ModelEvaluation(input, labelResults, aggregate, confusionMatrix, predictionOffsets, matchedAtHalf, coco);
    }

    private static void CountGroundTruth(int label, int imageIndex, int[] groundTruthCounts, int[] imagesWithLabel, int[] lastImageWithLabel)
    {
        groundTruthCounts[label]++;
        if (lastImageWithLabel[label] != imageIndex)
        {
            lastImageWithLabel[label] = imageIndex;
            imagesWithLabel[label]++;
        }
    }

    private static AggregateEvaluation Aggregate(LabelEvaluation[] labelResults, bool detection)
    {
        int reported = 0;
        double precision = 0, recall = 0, f1 = 0, averagePrecision = 0, averageRecall = 0, coco = 0;
        foreach (LabelEvaluation result in labelResults)
        {
            if (!result.HasGroundTruth)
            {
                continue;
            }

            reported++;
            precision += result.Precision;
            recall += result.Recall;
            f1 += result.F1Score;
            averagePrecision += result.AveragePrecision;
            averageRecall += result.AverageRecall;
            coco += result.CocoAveragePrecision;
        }

        double divisor = Math.Max(reported, 1);
        return new AggregateEvaluation
        {
            Precision = precision / divisor,
            Recall = recall / divisor,
            F1Score = f1 / divisor,
            AveragePrecision = detection ? averagePrecision / divisor : null,
            AverageRecall = detection ? averageRecall / divisor : null,
            CocoMeanAveragePrecision = detection ? coco / divisor : null,
        };
    }

    private static void Validate(EvaluationImage image, int labelCount, bool useBoxes)
    {
        foreach (ref readonly PredictedLabel prediction in image.Predictions.AsSpan())
        {
            CheckLabel(prediction.LabelIndex, labelCount, image);
            if (!(prediction.Confidence >= 0 && prediction.Confidence <= 1))
            {
                throw new ArgumentException(
                    $"Prediction confidence {prediction.Confidence} on '{image.SourceRef}' is outside [0, 1]; pass confidences as fractions, not percentages.",
                    nameof(image));
            }
        }

        if (useBoxes)
        {
            foreach (ref readonly GroundTruthObject item in image.GroundTruthObjects.AsSpan())
            {
                CheckLabel(item.LabelIndex, labelCount, image);
            }
        }
        else
        {
            foreach (int label in image.GroundTruthLabels)
            {
                CheckLabel(label, labelCount, image);
            }
        }
    }

    private static void CheckLabel(int label, int labelCount, EvaluationImage image)
    {
        if ((uint)label >= (uint)labelCount)
        {
            throw new ArgumentException($"Label index {label} on '{image.SourceRef}' is not in the label list (0..{labelCount - 1}).", nameof(image));
        }
    }
}
