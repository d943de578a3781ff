namespace Rekognition.Core.Evaluation;

/// <summary>What the summary file's <c>EvaluationDetails</c> section needs beyond the metrics.</summary>
internal sealed class EvaluationSummaryDetails
{
    /// <summary>ARN of the model version evaluated.</summary>
    public required string ProjectVersionArn { get; init; }

    /// <summary>When the evaluation ended; written as <c>yyyy-MM-ddTHH:mm:ss.ffffff</c> without offset.</summary>
    public required DateTime EvaluationEndTimestamp { get; init; }

    /// <summary>Number of images the model was trained on.</summary>
    public int NumberOfTrainingImages { get; init; }

    /// <summary>Labels seen in training; defaults to the evaluation's label list.</summary>
    public IReadOnlyList<string>? Labels { get; init; }
}
