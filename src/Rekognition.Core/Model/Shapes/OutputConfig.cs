// Nullable-oblivious, as the AWS SDK's shapes are: ported code with nullable checks on gets no new warnings.
#nullable disable

namespace Rekognition.Core.Model;

public sealed class OutputConfig
{
    public string S3Bucket { get; set; }
    public string S3KeyPrefix { get; set; }
}
