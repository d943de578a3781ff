using Rekognition.Core.Inference;
using Rekognition.Core.Models;
using Rekognition.Imaging.Preprocessing;

namespace Rekognition.Onnx.Detection.Decoding;

/// <summary>
/// From a detector's candidates to DetectCustomLabels predictions: per-label suppression, the most
/// confident <see cref="ModelPackageMetadata.MaxDetections"/> kept, boxes mapped back to ratios of the image.
/// </summary>
internal static class DetectionDecoder
{
    /// <summary>Turns raw detection candidates into labelled boxes in the original image's coordinates.</summary>
    public static List<LabelPrediction> Finish(List<DetectionCandidate> candidates, ModelPackageMetadata metadata, InputGeometry geometry)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(metadata);
        var span = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(candidates);
        var kept = NonMaximumSuppression.Apply(span, metadata.NmsIouThreshold, metadata.MaxDetections);
        var predictions = new List<LabelPrediction>(kept);
        for (var i = 0; i < kept; i++)
        {
            var c = span[i];
            if (geometry.ToImage(c.X1, c.Y1, c.X2, c.Y2) is { } box)
            {
                predictions.Add(new LabelPrediction(c.LabelIndex, c.Score, box));
            }
        }

        return predictions;
    }
}
