namespace Rekognition.Core.Evaluation;

/// <summary>Everything an evaluation needs: the label names, the task type and the test images with predictions.</summary>
internal sealed class EvaluationInput
{
    /// <summary>Classification or object detection.</summary>
    public required EvaluationTaskType TaskType { get; init; }

    /// <summary>Label names; ground truth and predictions refer to labels by their index in this list.</summary>
    public required IReadOnlyList<string> Labels { get; init; }

    /// <summary>The test images.</summary>
    public required IReadOnlyList<EvaluationImage> Images { get; init; }
}
