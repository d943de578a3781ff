namespace Rekognition.Onnx.Detection.Decoding;

/// <summary>A box proposed by a detector, in input pixels (x1, y1, x2, y2), before suppression.</summary>
internal readonly record struct DetectionCandidate(float X1, float Y1, float X2, float Y2, float Score, int LabelIndex)
{
    /// <summary>Intersection over union with <paramref name="other"/>.</summary>
    public float IoU(in DetectionCandidate other)
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
