// Nullable-oblivious, as the AWS SDK's shapes are: ported code with nullable checks on gets no new warnings.
#nullable disable

namespace Rekognition.Core.Model;

public sealed class DatasetDescription
{
    public DateTime? CreationTimestamp { get; set; }
    public DateTime? LastUpdatedTimestamp { get; set; }
    public DatasetStatus Status { get; set; }
    public string StatusMessage { get; set; }
    public DatasetStatusMessageCode StatusMessageCode { get; set; }
    public DatasetStats DatasetStats { get; set; }
}
