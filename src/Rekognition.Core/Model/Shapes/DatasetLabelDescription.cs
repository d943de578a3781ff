// Nullable-oblivious, as the AWS SDK's shapes are: ported code with nullable checks on gets no new warnings.
#nullable disable

namespace Rekognition.Core.Model;

/// <summary>A label used in a dataset, with its counts.</summary>
public sealed class DatasetLabelDescription
{
    /// <summary>The label's name.</summary>
    public string LabelName { get; set; }
    /// <summary>How many entries and bounding boxes use the label.</summary>
    public DatasetLabelStats LabelStats { get; set; }
}
