// Nullable-oblivious, as the AWS SDK's shapes are: ported code with nullable checks on gets no new warnings.
#nullable disable

namespace Rekognition.Core.Model;

// UpdateDatasetEntries: request and response members as named in the service's API model.

/// <summary>The parameters of UpdateDatasetEntries: adds entries to a dataset or changes existing ones.</summary>
public sealed class UpdateDatasetEntriesRequest : AmazonRekognitionRequest
{
    /// <summary>The ARN of the dataset to change.</summary>
    public string DatasetArn { get; set; }
    /// <summary>The JSON Lines to add or update.</summary>
    public DatasetChanges Changes { get; set; }
}

/// <summary>The result of UpdateDatasetEntries (no members).</summary>
public sealed class UpdateDatasetEntriesResponse : AmazonRekognitionResponse
{
}
