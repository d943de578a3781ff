namespace Rekognition.Core.Evaluation;

/// <summary>
/// COCO-exact box evaluation, as pycocotools' <c>COCOeval</c> with <c>iouType='bbox'</c> computes it: per image and
/// category, detections by descending score (stable) cut to 100, matched greedily at IoU 0.50:0.05:0.95 with crowd
/// regions and out-of-range boxes ignored; 101-point interpolated AP and recall per category, area range and cap.
/// Every label of <see cref="EvaluationInput.Labels"/> is a category and every test image an image of the set.
/// </summary>
internal static class CocoEvaluator
{
    public static CocoEvaluation Evaluate(EvaluationInput input)
    {
        int labelCount = input.Labels.Count;
        int maxDetections = CocoParameters.MaxDetections[CocoParameters.LargestCap];
        var pools = new CocoLabelPool[labelCount];
        for (int i = 0; i < pools.Length; i++)
        {
            pools[i] = new CocoLabelPool();
        }

        var matcher = new CocoImageMatcher();
        var truths = new List<GroundTruthObject>();
        var detections = new List<PredictedLabel>();
        var labelsHere = new List<int>();
        var seen = new bool[labelCount];
        foreach (EvaluationImage image in input.Images)
        {
            labelsHere.Clear();
            foreach (GroundTruthObject truth in image.GroundTruthObjects)
            {
                if (!seen[truth.LabelIndex])
                {
                    seen[truth.LabelIndex] = true;
                    labelsHere.Add(truth.LabelIndex);
                }
            }

            foreach (PredictedLabel prediction in image.Predictions)
            {
                if (!seen[prediction.LabelIndex])
                {
                    seen[prediction.LabelIndex] = true;
                    labelsHere.Add(prediction.LabelIndex);
                }
            }

            foreach (int label in labelsHere)
            {
                seen[label] = false;
            }

            // An image with neither ground truth nor detections of a label has no result for it (None in pycocotools).
            foreach (int label in labelsHere)
            {
                truths.Clear();
                detections.Clear();
                foreach (GroundTruthObject truth in image.GroundTruthObjects)
                {
                    if (truth.LabelIndex == label)
                    {
                        truths.Add(truth);
                    }
                }

                foreach (PredictedLabel prediction in image.Predictions)
                {
                    if (prediction.LabelIndex == label)
                    {
                        detections.Add(prediction);
                    }
                }

                SortStablyByDescendingConfidence(detections);
                if (detections.Count > maxDetections)
                {
                    detections.RemoveRange(maxDetections, detections.Count - maxDetections);
                }

                matcher.Evaluate(truths, detections, pools[label]);
            }
        }

        var accumulator = new CocoAccumulator(labelCount);
        for (int label = 0; label < labelCount; label++)
        {
            accumulator.Add(label, pools[label]);
        }

        return accumulator.Summarize();
    }

    // Stable, as numpy's mergesort: equal confidences keep input order. Insertion sort for the usual few detections.
    private static void SortStablyByDescendingConfidence(List<PredictedLabel> detections)
    {
        if (detections.Count <= 32)
        {
            for (int i = 1; i < detections.Count; i++)
            {
                PredictedLabel current = detections[i];
                int j = i;
                while (j > 0 && detections[j - 1].Confidence < current.Confidence)
                {
                    detections[j] = detections[j - 1];
                    j--;
                }

                detections[j] = current;
            }

            return;
        }

        var keyed = new (float Confidence, int Index)[detections.Count];
        for (int i = 0; i < keyed.Length; i++)
        {
            keyed[i] = (detections[i].Confidence, i);
        }

        Array.Sort(keyed, static (a, b) =>
        {
            int byScore = b.Confidence.CompareTo(a.Confidence);
            return byScore != 0 ? byScore : a.Index.CompareTo(b.Index);
        });
        var sorted = new PredictedLabel[keyed.Length];
        for (int i = 0; i < keyed.Length; i++)
        {
            sorted[i] = detections[keyed[i].Index];
        }

        detections.Clear();
        detections.AddRange(sorted);
    }
}
