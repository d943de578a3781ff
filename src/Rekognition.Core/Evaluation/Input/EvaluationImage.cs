namespace Rekognition.Core.Evaluation;

/// <summary>One test image: its ground truth and what the model predicted on it.</summary>
internal sealed class EvaluationImage
{
    /// <summary>The image's <c>source-ref</c> as it appears in the test manifest.</summary>
    public required string SourceRef { get; init; }

    /// <summary>Image width in pixels.</summary>
    public int Width { get; init; }

    /// <summary>Image height in pixels.</summary>
    public int Height { get; init; }

    /// <summary>Image-level ground-truth labels (indices into <see cref="EvaluationInput.Labels"/>, each at most once); used for classification.</summary>
    public int[] GroundTruthLabels { get; init; } = [];

    /// <summary>Ground-truth boxes; used for object detection.</summary>
    public GroundTruthObject[] GroundTruthObjects { get; init; } = [];

    /// <summary>The model's predictions on this image, in any order.</summary>
    public PredictedLabel[] Predictions { get; init; } = [];

    /// <summary>
    /// The image's original JSON line from the test manifest, needed by the evaluation snapshot writer
    /// to re-emit the ground truth; optional for metrics.
    /// </summary>
    public string? GroundTruthManifestLine { get; init; }
}
