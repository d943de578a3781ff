// Nullable-oblivious, as the AWS SDK's shapes are: ported code with nullable checks on gets no new warnings.
#nullable disable

namespace Rekognition.Core.Model;

// ImportProjectVersion and ExportProjectVersion: not service operations. They register an ONNX model
// that follows the model package contract (model.onnx + model.json) as a version of a project, and
// copy a version's package out, so users can bring and take models.

/// <summary>The parameters of ImportProjectVersion (local, not a service operation): registers an ONNX model package as a version.</summary>
public sealed class ImportProjectVersionRequest : AmazonRekognitionRequest
{
    /// <summary>The ARN of the project that receives the version.</summary>
    public string ProjectArn { get; set; }
    /// <summary>The name of the imported version, unique within the project.</summary>
    public string VersionName { get; set; }
    /// <summary>The ONNX file.</summary>
    public string ModelPath { get; set; }
    /// <summary>The model package metadata file (model.json); default: model.json beside the ONNX file.</summary>
    public string MetadataPath { get; set; }
    /// <summary>A description of the imported version.</summary>
    public string VersionDescription { get; set; }
    /// <summary>Tags (key-value pairs) to attach to the imported version.</summary>
    public Dictionary<string, string> Tags { get; set; } = new();
}

/// <summary>The result of ImportProjectVersion.</summary>
public sealed class ImportProjectVersionResponse : AmazonRekognitionResponse
{
    /// <summary>The ARN of the imported model version.</summary>
    public string ProjectVersionArn { get; set; }
}

/// <summary>The parameters of ExportProjectVersion (local, not a service operation): copies a version's model package out.</summary>
public sealed class ExportProjectVersionRequest : AmazonRekognitionRequest
{
    /// <summary>The ARN of the model version to export.</summary>
    public string ProjectVersionArn { get; set; }
    /// <summary>The folder that receives model.onnx and model.json.</summary>
    public string DestinationDirectory { get; set; }
}

/// <summary>The result of ExportProjectVersion.</summary>
public sealed class ExportProjectVersionResponse : AmazonRekognitionResponse
{
    /// <summary>The path of the exported model.onnx.</summary>
    public string ModelPath { get; set; }
    /// <summary>The path of the exported model.json.</summary>
    public string MetadataPath { get; set; }
}
