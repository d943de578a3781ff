// Nullable-oblivious, as the AWS SDK's shapes are: ported code with nullable checks on gets no new warnings.
#nullable disable

namespace Rekognition.Core.Model;

public sealed class DatasetStats
{
    public int? LabeledEntries { get; set; }
    public int? TotalEntries { get; set; }
    public int? TotalLabels { get; set; }
    public int? ErrorEntries { get; set; }
}
