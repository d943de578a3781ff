using System.Text.Json.Serialization;

namespace Rekognition.Core.Evaluation;

// The summary file's shape, member for member (models.md §5.7, reference layout with aggregates under Metrics).

internal sealed class EvaluationSummaryDocument
{
    public int Version { get; set; }

    public EvaluationSummaryDetailsSection EvaluationDetails { get; set; } = new();

    public EvaluationSummaryAggregatedSection AggregatedEvaluationResults { get; set; } = new();

    public List<EvaluationSummaryLabelSection> LabelEvaluationResults { get; set; } = [];

    // Not in the service's file: detection only, after the service's sections, so readers of those are unaffected.
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public EvaluationSummaryCocoSection? CocoExactEvaluationResults { get; set; }
}

// pycocotools' twelve figures under their usual names; -1 where undefined, as pycocotools prints it.
internal sealed class EvaluationSummaryCocoSection
{
    public string Description { get; set; } = "";

    public double AP { get; set; }

    public double AP50 { get; set; }

    public double AP75 { get; set; }

    public double APsmall { get; set; }

    public double APmedium { get; set; }

    public double APlarge { get; set; }

    public double AR1 { get; set; }

    public double AR10 { get; set; }

    public double AR100 { get; set; }

    public double ARsmall { get; set; }

    public double ARmedium { get; set; }

    public double ARlarge { get; set; }
}

internal sealed class EvaluationSummaryDetailsSection
{
    public string ProjectVersionArn { get; set; } = "";

    public string EvaluationEndTimestamp { get; set; } = "";

    public List<string> Labels { get; set; } = [];

    public int NumberOfTrainingImages { get; set; }

    public int NumberOfTestingImages { get; set; }
}

internal sealed class EvaluationSummaryAggregatedSection
{
    public EvaluationSummaryAggregatedMetrics Metrics { get; set; } = new();
}

internal sealed class EvaluationSummaryAggregatedMetrics
{
    public double Precision { get; set; }

    public double Recall { get; set; }

    public double F1Score { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? AveragePrecision { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? AverageRecall { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<EvaluationSummaryConfusionEntry>? ConfusionMatrix { get; set; }
}

internal sealed class EvaluationSummaryConfusionEntry
{
    public string GroundTruthLabel { get; set; } = "";

    public string PredictedLabel { get; set; } = "";

    public double Value { get; set; }
}

internal sealed class EvaluationSummaryLabelSection
{
    public string Label { get; set; } = "";

    public int NumberOfTestingImages { get; set; }

    public EvaluationSummaryLabelMetrics Metrics { get; set; } = new();
}

internal sealed class EvaluationSummaryLabelMetrics
{
    public double Threshold { get; set; }

    public double Precision { get; set; }

    public double Recall { get; set; }

    public double F1Score { get; set; }
}
