using Rekognition.Core.Manifests;

namespace Rekognition.Core.Evaluation;

/// <summary>One ground-truth box of a test image.</summary>
/// <param name="LabelIndex">Index of the box's label in <see cref="EvaluationInput.Labels"/>.</param>
/// <param name="Box">The box, in pixels.</param>
/// <param name="IsCrowd">
/// COCO's <c>iscrowd</c>: the box frames a group of objects. Only the COCO-exact metrics use it (a crowd region is
/// ignored and may absorb any number of detections); the service's metrics count it as an ordinary box.
/// </param>
/// <param name="Area">
/// COCO's <c>area</c> (the segmentation's area) in square pixels, which decides the COCO-exact small/medium/large
/// range; null means the box's area.
/// </param>
internal readonly record struct GroundTruthObject(int LabelIndex, PixelBox Box, bool IsCrowd = false, double? Area = null)
{
    /// <summary>The area COCO's area ranges use: <see cref="Area"/> when given, else width × height of the box.</summary>
    public double CocoArea => Area ?? ((double)Box.Width * Box.Height);

    /// <summary>
    /// The ground truth of a manifest box (pixels, as the manifest writes them), keeping its COCO <c>iscrowd</c> and
    /// <c>area</c> so that the COCO-exact metrics see them.
    /// </summary>
    /// <param name="annotation">The box as read from a Ground Truth manifest line.</param>
    /// <param name="labelIndex">Index of its label in <see cref="EvaluationInput.Labels"/>.</param>
    public static GroundTruthObject FromAnnotation(in BoundingBoxAnnotation annotation, int labelIndex) =>
        new(labelIndex, new PixelBox((float)annotation.Left, (float)annotation.Top, (float)annotation.Width, (float)annotation.Height), annotation.IsCrowd, annotation.Area);
}
