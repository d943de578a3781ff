// Nullable-oblivious, as the AWS SDK's shapes are: ported code with nullable checks on gets no new warnings.
#nullable disable

namespace Rekognition.Core.Model;

/// <summary>The entry and label counts of a dataset.</summary>
public sealed class DatasetStats
{
    /// <summary>The number of images that have labels.</summary>
    public int? LabeledEntries { get; set; }
    /// <summary>The number of images in the dataset.</summary>
    public int? TotalEntries { get; set; }
    /// <summary>The number of labels declared in the dataset.</summary>
    public int? TotalLabels { get; set; }
    /// <summary>The number of entries with at least one error.</summary>
    public int? ErrorEntries { get; set; }
}
