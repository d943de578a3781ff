namespace Rekognition.Core.Evaluation;

// What the HTML report's script renders, serialized once into the page.

internal sealed class EvaluationReportData
{
    public string Title { get; set; } = "";

    public List<string> Warnings { get; set; } = [];

    public bool Detection { get; set; }

    public List<string> Labels { get; set; } = [];

    public int NumberOfTestingImages { get; set; }

    public double F1Score { get; set; }

    public double Precision { get; set; }

    public double Recall { get; set; }

    public double? AveragePrecision { get; set; }

    public double? AverageRecall { get; set; }

    public double? CocoMeanAveragePrecision { get; set; }

    /// <summary>Detection only: the COCO-exact figures in pycocotools' order.</summary>
    public List<ReportCocoFigure>? Coco { get; set; }

    public List<ReportLabel> LabelResults { get; set; } = [];

    public List<ConfusionMatrixCell>? ConfusionMatrix { get; set; }

    public List<ReportImage> Images { get; set; } = [];
}

internal sealed class ReportLabel
{
    public int Index { get; set; }

    public string Label { get; set; } = "";

    public int Images { get; set; }

    public double F1Score { get; set; }

    public double Precision { get; set; }

    public double Recall { get; set; }

    public float Threshold { get; set; }

    public double AveragePrecision { get; set; }

    public double CocoAveragePrecision { get; set; }

    /// <summary>Detection only: the label's COCO-exact AP@[.5:.95] (-1 without counted ground truth).</summary>
    public double? CocoExactAveragePrecision { get; set; }

    public int TruePositives { get; set; }

    public int FalsePositives { get; set; }

    public int FalseNegatives { get; set; }

    /// <summary>Precision–recall points as [recall, precision] pairs.</summary>
    public List<double[]> Curve { get; set; } = [];
}

internal sealed class ReportImage
{
    public string Name { get; set; } = "";

    public string? Source { get; set; }

    public int Width { get; set; }

    public int Height { get; set; }

    public List<ReportBox> GroundTruth { get; set; } = [];

    public List<ReportItem> Items { get; set; } = [];
}

internal sealed class ReportBox
{
    public int Label { get; set; }

    public float[] Box { get; set; } = [];
}

internal sealed class ReportItem
{
    public int Label { get; set; }

    public float Confidence { get; set; }

    /// <summary>TP, FP, FN or TN.</summary>
    public string Outcome { get; set; } = "";

    public bool Prediction { get; set; }

    public float[]? Box { get; set; }
}

internal sealed class ReportCocoFigure
{
    public string Name { get; set; } = "";

    public string Description { get; set; } = "";

    public double Value { get; set; }
}
