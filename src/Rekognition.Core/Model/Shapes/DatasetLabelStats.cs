// Nullable-oblivious, as the AWS SDK's shapes are: ported code with nullable checks on gets no new warnings.
#nullable disable

namespace Rekognition.Core.Model;

/// <summary>How often a label is used in a dataset.</summary>
public sealed class DatasetLabelStats
{
    /// <summary>The number of entries (images) with the label.</summary>
    public int? EntryCount { get; set; }
    /// <summary>The number of bounding boxes with the label.</summary>
    public int? BoundingBoxCount { get; set; }
}
