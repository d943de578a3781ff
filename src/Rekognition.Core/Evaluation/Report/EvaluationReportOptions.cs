namespace Rekognition.Core.Evaluation;

/// <summary>Settings of the HTML evaluation report.</summary>
internal sealed class EvaluationReportOptions
{
    /// <summary>Heading of the report, e.g. the model version's name.</summary>
    public string Title { get; init; } = "Evaluation";

    /// <summary>
    /// Returns the encoded bytes (JPEG or PNG) of a test image to embed, or null to show the image as a blank frame.
    /// Without it no image is embedded.
    /// </summary>
    public Func<EvaluationImage, byte[]?>? ImageBytes { get; init; }

    /// <summary>The data checks' warnings about the training and test images (shown above the figures).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>Most test images drawn in the report (the first ones of the test set); keeps the file's size bounded.</summary>
    public int MaxImages { get; init; } = 500;
}
