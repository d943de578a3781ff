// Nullable-oblivious, as the AWS SDK's shapes are: ported code with nullable checks on gets no new warnings.
#nullable disable

namespace Rekognition.Core.Model;

public sealed class S3Object
{
    public string Bucket { get; set; }
    public string Name { get; set; }
    public string Version { get; set; }
}
