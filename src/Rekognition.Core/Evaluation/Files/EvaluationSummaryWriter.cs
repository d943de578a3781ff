using System.Globalization;
using System.Text.Json;

namespace Rekognition.Core.Evaluation;

/// <summary>Writes the evaluation summary file (<c>EvaluationSummary-ProjectName-VersionName.json</c>) in the service's format.</summary>
internal static class EvaluationSummaryWriter
{
    /// <summary>Format version written to <c>Version</c>.</summary>
    public const int FormatVersion = 1;

    /// <summary>What the <c>CocoExactEvaluationResults</c> section says about itself, so a reader cannot mistake it for the service's figures.</summary>
    public const string CocoSectionDescription =
        "Not written by Amazon Rekognition Custom Labels: COCO-exact box metrics as pycocotools COCOeval computes them " +
        "(IoU 0.50:0.95, 101-point interpolation, crowd regions ignored, areas small/medium/large, 1/10/100 detections; -1 = undefined). " +
        "AggregatedEvaluationResults.Metrics.AveragePrecision is the service's all-point mAP at IoU 0.5 and is not comparable with these.";

    /// <summary>The service's file name for a model version's summary.</summary>
    public static string FileName(string projectName, string versionName) => $"EvaluationSummary-{projectName}-{versionName}.json";

    /// <summary>Formats a timestamp the way the summary writes <c>EvaluationEndTimestamp</c> (microseconds, no offset).</summary>
    public static string FormatTimestamp(DateTime timestamp) =>
        timestamp.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'ffffff", CultureInfo.InvariantCulture);

    /// <summary>
    /// Writes the summary: <c>Version</c>, <c>EvaluationDetails</c>, <c>AggregatedEvaluationResults.Metrics</c>
    /// (<c>AveragePrecision</c>/<c>AverageRecall</c> for detection, <c>ConfusionMatrix</c> for classification) and
    /// <c>LabelEvaluationResults</c> for the labels with test ground truth, best F1 first. For detection, a last
    /// section that the service does not write, <c>CocoExactEvaluationResults</c>, holds the COCO-exact figures
    /// (<see cref="ModelEvaluation.Coco"/>); the service's <c>AveragePrecision</c> stays its all-point mAP at IoU 0.5.
    /// </summary>
    public static async Task WriteAsync(Stream destination, ModelEvaluation evaluation, EvaluationSummaryDetails details, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        ArgumentNullException.ThrowIfNull(details);
        await JsonSerializer.SerializeAsync(destination, ToDocument(evaluation, details), EvaluationJsonContext.Default.EvaluationSummaryDocument, cancellationToken).ConfigureAwait(false);
    }

    internal static EvaluationSummaryDocument ToDocument(ModelEvaluation evaluation, EvaluationSummaryDetails details)
    {
        AggregateEvaluation aggregate = evaluation.Aggregate;
        var document = new EvaluationSummaryDocument
        {
            Version = FormatVersion,
            EvaluationDetails = new EvaluationSummaryDetailsSection
            {
                ProjectVersionArn = details.ProjectVersionArn,
                EvaluationEndTimestamp = FormatTimestamp(details.EvaluationEndTimestamp),
                Labels = [.. details.Labels ?? evaluation.Input.Labels],
                NumberOfTrainingImages = details.NumberOfTrainingImages,
                NumberOfTestingImages = evaluation.NumberOfTestingImages,
            },
            AggregatedEvaluationResults = new EvaluationSummaryAggregatedSection
            {
                Metrics = new EvaluationSummaryAggregatedMetrics
                {
                    Precision = aggregate.Precision,
                    Recall = aggregate.Recall,
                    F1Score = aggregate.F1Score,
                    AveragePrecision = aggregate.AveragePrecision,
                    AverageRecall = aggregate.AverageRecall,
                    ConfusionMatrix = evaluation.ConfusionMatrix?.Select(c => new EvaluationSummaryConfusionEntry
                    {
                        GroundTruthLabel = c.GroundTruthLabel,
                        PredictedLabel = c.PredictedLabel,
                        Value = c.Value,
                    }).ToList(),
                },
            },
        };

        if (evaluation.Coco is { } coco)
        {
            document.CocoExactEvaluationResults = new EvaluationSummaryCocoSection
            {
                Description = CocoSectionDescription,
                AP = coco.AveragePrecision,
                AP50 = coco.AveragePrecision50,
                AP75 = coco.AveragePrecision75,
                APsmall = coco.AveragePrecisionSmall,
                APmedium = coco.AveragePrecisionMedium,
                APlarge = coco.AveragePrecisionLarge,
                AR1 = coco.AverageRecall1,
                AR10 = coco.AverageRecall10,
                AR100 = coco.AverageRecall100,
                ARsmall = coco.AverageRecallSmall,
                ARmedium = coco.AverageRecallMedium,
                ARlarge = coco.AverageRecallLarge,
            };
        }

        foreach (LabelEvaluation label in evaluation.LabelResultsByF1Score())
        {
            document.LabelEvaluationResults.Add(new EvaluationSummaryLabelSection
            {
                Label = label.Label,
                NumberOfTestingImages = label.NumberOfTestingImages,
                Metrics = new EvaluationSummaryLabelMetrics
                {
                    // Through decimal text so 0.4f is written as 0.4, not 0.4000000059604645.
                    Threshold = double.Parse(label.Threshold.ToString("R", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture),
                    Precision = label.Precision,
                    Recall = label.Recall,
                    F1Score = label.F1Score,
                },
            });
        }

        return document;
    }
}
