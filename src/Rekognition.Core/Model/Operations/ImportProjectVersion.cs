// Nullable-oblivious, as the AWS SDK's shapes are: ported code with nullable checks on gets no new warnings.
#nullable disable

namespace Rekognition.Core.Model;

// ImportProjectVersion and ExportProjectVersion: not service operations. They register an ONNX model
// that follows the model package contract (model.onnx + model.json) as a version of a project, and
// copy a version's package out, so users can bring and take models.

public sealed class ImportProjectVersionRequest : AmazonRekognitionRequest
{
    public string ProjectArn { get; set; }
    public string VersionName { get; set; }
    /// <summary>The ONNX file.</summary>
    public string ModelPath { get; set; }
    /// <summary>The model package metadata file (model.json); default: model.json beside the ONNX file.</summary>
    public string MetadataPath { get; set; }
    public string VersionDescription { get; set; }
    public Dictionary<string, string> Tags { get; set; } = new();
}

public sealed class ImportProjectVersionResponse : AmazonRekognitionResponse
{
    public string ProjectVersionArn { get; set; }
}

public sealed class ExportProjectVersionRequest : AmazonRekognitionRequest
{
    public string ProjectVersionArn { get; set; }
    /// <summary>The folder that receives model.onnx and model.json.</summary>
    public string DestinationDirectory { get; set; }
}

public sealed class ExportProjectVersionResponse : AmazonRekognitionResponse
{
    public string ModelPath { get; set; }
    public string MetadataPath { get; set; }
}
