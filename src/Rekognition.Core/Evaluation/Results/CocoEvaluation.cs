namespace Rekognition.Core.Evaluation;

/// <summary>
/// COCO-exact detection metrics, computed as pycocotools' <c>COCOeval</c> (box IoU) does: the twelve figures of its
/// <c>summarize()</c>, in its order in <see cref="Stats"/>. These are comparable with published COCO numbers; the
/// service's figures (<see cref="AggregateEvaluation"/>) are not. A figure is -1 when no label has ground truth that
/// counts for it (for example <see cref="AveragePrecisionSmall"/> without any small box), as pycocotools prints it.
/// Crowd boxes (<see cref="GroundTruthObject.IsCrowd"/>) are ignored; areas come from <see cref="GroundTruthObject.CocoArea"/>.
/// </summary>
internal sealed class CocoEvaluation
{
    /// <summary>The names of <see cref="Stats"/>, in order, as pycocotools labels them.</summary>
    public static IReadOnlyList<string> StatNames { get; } =
        ["AP", "AP50", "AP75", "APs", "APm", "APl", "AR1", "AR10", "AR100", "ARs", "ARm", "ARl"];

    /// <summary>AP at IoU=0.50:0.95, all areas, 100 detections per image (COCO's headline "mAP").</summary>
    public double AveragePrecision { get; init; }

    /// <summary>AP at IoU=0.50, all areas, 100 detections.</summary>
    public double AveragePrecision50 { get; init; }

    /// <summary>AP at IoU=0.75, all areas, 100 detections.</summary>
    public double AveragePrecision75 { get; init; }

    /// <summary>AP at IoU=0.50:0.95 for small objects (area ≤ 32²).</summary>
    public double AveragePrecisionSmall { get; init; }

    /// <summary>AP at IoU=0.50:0.95 for medium objects (32² ≤ area ≤ 96²).</summary>
    public double AveragePrecisionMedium { get; init; }

    /// <summary>AP at IoU=0.50:0.95 for large objects (area ≥ 96²).</summary>
    public double AveragePrecisionLarge { get; init; }

    /// <summary>AR at IoU=0.50:0.95, all areas, 1 detection per image and label.</summary>
    public double AverageRecall1 { get; init; }

    /// <summary>AR at IoU=0.50:0.95, all areas, 10 detections.</summary>
    public double AverageRecall10 { get; init; }

    /// <summary>AR at IoU=0.50:0.95, all areas, 100 detections.</summary>
    public double AverageRecall100 { get; init; }

    /// <summary>AR for small objects, 100 detections.</summary>
    public double AverageRecallSmall { get; init; }

    /// <summary>AR for medium objects, 100 detections.</summary>
    public double AverageRecallMedium { get; init; }

    /// <summary>AR for large objects, 100 detections.</summary>
    public double AverageRecallLarge { get; init; }

    /// <summary>Per label (index into <see cref="EvaluationInput.Labels"/>): AP at IoU=0.50:0.95, all areas, 100 detections; -1 without ground truth.</summary>
    public required IReadOnlyList<double> LabelAveragePrecisions { get; init; }

    /// <summary>The twelve figures in pycocotools' <c>stats</c> order (see <see cref="StatNames"/>).</summary>
    public IReadOnlyList<double> Stats =>
    [
        AveragePrecision, AveragePrecision50, AveragePrecision75,
        AveragePrecisionSmall, AveragePrecisionMedium, AveragePrecisionLarge,
        AverageRecall1, AverageRecall10, AverageRecall100,
        AverageRecallSmall, AverageRecallMedium, AverageRecallLarge,
    ];
}
