using System.Reflection;
using System.Text;
using System.Text.Json;

namespace Rekognition.Core.Evaluation;

/// <summary>
/// Writes a model version's evaluation as one self-contained HTML file: aggregate metrics, per-label table,
/// precision–recall curves, confusion matrix (classification) and the test images with ground truth and predictions,
/// filterable by label and outcome. Styles, script, charts and images are inline; the page loads nothing.
/// </summary>
internal static class EvaluationHtmlReportWriter
{
    private const string TemplateResource = "Rekognition.Core.Evaluation.Report.EvaluationReport.html";
    private const string DataPlaceholder = "/*REPORT_DATA*/null";

    private static readonly Lazy<string> Template = new(LoadTemplate);

    // pycocotools' summarize() lines, in the order of CocoEvaluation.Stats.
    private static readonly string[] CocoFigureDescriptions =
    [
        "AP, IoU 0.50:0.95, all areas, 100 detections",
        "AP, IoU 0.50, all areas, 100 detections",
        "AP, IoU 0.75, all areas, 100 detections",
        "AP, IoU 0.50:0.95, small (area ≤ 32²)",
        "AP, IoU 0.50:0.95, medium (32² ≤ area ≤ 96²)",
        "AP, IoU 0.50:0.95, large (area ≥ 96²)",
        "AR, IoU 0.50:0.95, all areas, 1 detection",
        "AR, IoU 0.50:0.95, all areas, 10 detections",
        "AR, IoU 0.50:0.95, all areas, 100 detections",
        "AR, IoU 0.50:0.95, small, 100 detections",
        "AR, IoU 0.50:0.95, medium, 100 detections",
        "AR, IoU 0.50:0.95, large, 100 detections",
    ];

    /// <summary>Writes the report to <paramref name="destination"/> as UTF-8.</summary>
    public static async Task WriteAsync(Stream destination, ModelEvaluation evaluation, EvaluationReportOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        options ??= new EvaluationReportOptions();

        // The serializer escapes '<', so the data cannot close the script element it sits in.
        string data = JsonSerializer.Serialize(BuildData(evaluation, options), EvaluationJsonContext.Default.EvaluationReportData);
        string html = Template.Value.Replace(DataPlaceholder, data, StringComparison.Ordinal);
        byte[] bytes = Encoding.UTF8.GetBytes(html);
        await destination.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
    }

    internal static EvaluationReportData BuildData(ModelEvaluation evaluation, EvaluationReportOptions options)
    {
        bool detection = evaluation.TaskType == EvaluationTaskType.ObjectDetection;
        var data = new EvaluationReportData
        {
            Title = options.Title,
            Warnings = [.. options.Warnings],
            Detection = detection,
            Labels = [.. evaluation.Input.Labels],
            NumberOfTestingImages = evaluation.NumberOfTestingImages,
            F1Score = evaluation.Aggregate.F1Score,
            Precision = evaluation.Aggregate.Precision,
            Recall = evaluation.Aggregate.Recall,
            AveragePrecision = evaluation.Aggregate.AveragePrecision,
            AverageRecall = evaluation.Aggregate.AverageRecall,
            CocoMeanAveragePrecision = evaluation.Aggregate.CocoMeanAveragePrecision,
            ConfusionMatrix = evaluation.ConfusionMatrix?.ToList(),
            Coco = evaluation.Coco is { } coco
                ? [.. coco.Stats.Select((value, i) => new ReportCocoFigure { Name = CocoEvaluation.StatNames[i], Description = CocoFigureDescriptions[i], Value = value })]
                : null,
        };

        foreach (LabelEvaluation label in evaluation.LabelResultsByF1Score())
        {
            data.LabelResults.Add(new ReportLabel
            {
                Index = label.LabelIndex,
                Label = label.Label,
                Images = label.NumberOfTestingImages,
                F1Score = label.F1Score,
                Precision = label.Precision,
                Recall = label.Recall,
                Threshold = label.Threshold,
                AveragePrecision = label.AveragePrecision,
                CocoAveragePrecision = label.CocoAveragePrecision,
                CocoExactAveragePrecision = evaluation.Coco?.LabelAveragePrecisions[label.LabelIndex],
                TruePositives = label.TruePositives,
                FalsePositives = label.FalsePositives,
                FalseNegatives = label.FalseNegatives,
                Curve = label.PrecisionRecallCurve.Select(p => new[] { Math.Round(p.Recall, 4), Math.Round(p.Precision, 4) }).ToList(),
            });
        }

        int imageCount = Math.Min(evaluation.NumberOfTestingImages, options.MaxImages);
        for (int i = 0; i < imageCount; i++)
        {
            EvaluationImage image = evaluation.Input.Images[i];
            var reportImage = new ReportImage
            {
                Name = image.SourceRef,
                Source = ToDataUri(options.ImageBytes?.Invoke(image)),
                Width = image.Width,
                Height = image.Height,
            };
            if (detection)
            {
                foreach (GroundTruthObject item in image.GroundTruthObjects)
                {
                    reportImage.GroundTruth.Add(new ReportBox { Label = item.LabelIndex, Box = ToArray(item.Box) });
                }
            }

            foreach (EvaluatedItem item in evaluation.GetImageOutcomes(i))
            {
                reportImage.Items.Add(new ReportItem
                {
                    Label = item.LabelIndex,
                    Confidence = item.Confidence,
                    Outcome = item.Outcome switch
                    {
                        EvaluationOutcome.TruePositive => "TP",
                        EvaluationOutcome.FalsePositive => "FP",
                        EvaluationOutcome.FalseNegative => "FN",
                        _ => "TN",
                    },
                    Prediction = item.IsPrediction,
                    Box = detection ? ToArray(item.Box) : null,
                });
            }

            data.Images.Add(reportImage);
        }

        return data;
    }

    private static float[] ToArray(PixelBox box) => [box.Left, box.Top, box.Width, box.Height];

    private static string? ToDataUri(byte[]? bytes)
    {
        if (bytes is null || bytes.Length < 4)
        {
            return null;
        }

        string mediaType = bytes[0] == 0x89 && bytes[1] == (byte)'P' ? "image/png" : "image/jpeg";
        return $"data:{mediaType};base64,{Convert.ToBase64String(bytes)}";
    }

    private static string LoadTemplate()
    {
        using Stream stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(TemplateResource)
            ?? throw new InvalidOperationException($"The report template {TemplateResource} is missing from the assembly.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
