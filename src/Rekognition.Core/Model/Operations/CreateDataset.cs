// Nullable-oblivious, as the AWS SDK's shapes are: ported code with nullable checks on gets no new warnings.
#nullable disable

namespace Rekognition.Core.Model;

// CreateDataset: request and response members as named in the service's API model.

/// <summary>The parameters of CreateDataset: adds a training or test dataset to a project.</summary>
public sealed class CreateDatasetRequest : AmazonRekognitionRequest
{
    /// <summary>Where the dataset's first entries come from (a manifest or an existing dataset); none for an empty dataset.</summary>
    public DatasetSource DatasetSource { get; set; }
    /// <summary>Whether the dataset trains the model (TRAIN) or tests it (TEST).</summary>
    public DatasetType DatasetType { get; set; }
    /// <summary>The ARN of the project that receives the dataset.</summary>
    public string ProjectArn { get; set; }
    /// <summary>Tags (key-value pairs) to attach to the dataset.</summary>
    public Dictionary<string, string> Tags { get; set; } = new();
}

/// <summary>The result of CreateDataset.</summary>
public sealed class CreateDatasetResponse : AmazonRekognitionResponse
{
    /// <summary>The ARN of the new dataset.</summary>
    public string DatasetArn { get; set; }
}
