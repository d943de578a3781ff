namespace Rekognition.Core.Inference.Decoding;

/// <summary>A box proposed by a detector, in input pixels (x1, y1, x2, y2), before suppression.</summary>
public struct DetectionCandidate
{
    public float X1;
    public float Y1;
    public float X2;
    public float Y2;
    public float Score;
    public int LabelIndex;

    public DetectionCandidate(float x1, float y1, float x2, float y2, float score, int labelIndex)
    {
        X1 = x1;
        Y1 = y1;
        X2 = x2;
        Y2 = y2;
        Score = score;
        LabelIndex = labelIndex;
    }

    /// <summary>Intersection over union with <paramref name="other"/>.</summary>
    public readonly float IoU(in DetectionCandidate other)
    {
        var iw = Math.Min(X2, other.X2) - Math.Max(X1, other.X1);
        var ih = Math.Min(Y2, other.Y2) - Math.Max(Y1, other.Y1);
        if (iw <= 0 || ih <= 0)
        {
            return 0;
        }

        var intersection = iw * ih;
        var union = (X2 - X1) * (Y2 - Y1) + (other.X2 - other.X1) * (other.Y2 - other.Y1) - intersection;
        return union > 0 ? intersection / union : 0;
    }
}
