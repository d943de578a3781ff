// Nullable-oblivious, as the AWS SDK's shapes are: ported code with nullable checks on gets no new warnings.
#nullable disable

namespace Rekognition.Core.Model;

/// <summary>Where training writes its results.</summary>
public sealed class OutputConfig
{
    /// <summary>The bucket that receives the training results.</summary>
    public string S3Bucket { get; set; }
    /// <summary>The key prefix of the training result files.</summary>
    public string S3KeyPrefix { get; set; }
}
