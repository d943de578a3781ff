namespace Rekognition.Core.Evaluation;

/// <summary>The IoU levels a prediction is matched at: 0.5 (the service's rule) and COCO's 0.5:0.05:0.95.</summary>
internal static class IouThresholds
{
    /// <summary>Number of levels; bit k of a match mask means "matched at <see cref="Levels"/>[k]".</summary>
    public const int Count = 10;

    /// <summary>Mask with every level set: what a classification match gets (no boxes, IoU is 1 by definition).</summary>
    public const ushort AllLevels = (1 << Count) - 1;

    /// <summary>Written out rather than computed so that 0.6 is exactly the literal 0.6.</summary>
    public static ReadOnlySpan<double> Levels => [0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95];
}
