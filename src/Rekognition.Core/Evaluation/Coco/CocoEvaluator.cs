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
        var perLabelArea = new List<CocoImageResult>[labelCount * CocoParameters.AreaCount];
        for (int i = 0; i < perLabelArea.Length; i++)
        {
            perLabelArea[i] = [];
        }

        var matcher = new CocoImageMatcher();
        var truths = new List<GroundTruthObject>();
        var detections = new List<PredictedLabel>();
        var labelsHere = new SortedSet<int>();
        foreach (EvaluationImage image in input.Images)
        {
            labelsHere.Clear();
            foreach (GroundTruthObject truth in image.GroundTruthObjects)
            {
                labelsHere.Add(truth.LabelIndex);
            }

            foreach (PredictedLabel prediction in image.Predictions)
            {
                labelsHere.Add(prediction.LabelIndex);
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

                // List.Sort is not stable; the index tie-break makes it keep input order among equal scores (mergesort).
                SortStablyByDescendingConfidence(detections);
                if (detections.Count > maxDetections)
                {
                    detections.RemoveRange(maxDetections, detections.Count - maxDetections);
                }

                CocoImageResult[] results = matcher.Evaluate(truths, detections);
                for (int area = 0; area < CocoParameters.AreaCount; area++)
                {
                    perLabelArea[(label * CocoParameters.AreaCount) + area].Add(results[area]);
                }
            }
        }

        var accumulator = new CocoAccumulator(labelCount);
        for (int label = 0; label < labelCount; label++)
        {
            for (int area = 0; area < CocoParameters.AreaCount; area++)
            {
                accumulator.Add(label, area, perLabelArea[(label * CocoParameters.AreaCount) + area]);
            }
        }

        return accumulator.Summarize();
    }

    private static void SortStablyByDescendingConfidence(List<PredictedLabel> detections)
    {
        if (detections.Count < 2)
        {
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
