using System.Text.Json;
using Rekognition.Core.Model;
using Rekognition.Core.Storage;

namespace Rekognition.Core.Models;

/// <summary>
/// A model version's artifact: one ONNX file (<c>model.onnx</c>) and its metadata (<c>model.json</c>)
/// in one folder. Reading validates the metadata and fails with <see cref="InvalidParameterException"/>
/// naming what is wrong; writing goes through temporary names so a half-written package never exists.
/// </summary>
public sealed class ModelPackage
{
    public const string ModelFileName = "model.onnx";
    public const string MetadataFileName = "model.json";

    private ModelPackage(string directory, string modelPath, ModelPackageMetadata metadata)
    {
        Directory = directory;
        ModelPath = modelPath;
        Metadata = metadata;
    }

    /// <summary>The package's folder.</summary>
    public string Directory { get; }

    /// <summary>The ONNX file.</summary>
    public string ModelPath { get; }

    public ModelPackageMetadata Metadata { get; }

    /// <summary>Reads and validates the package in <paramref name="directory"/>.</summary>
    public static ModelPackage Load(string directory) =>
        Load(Path.Combine(directory, ModelFileName), Path.Combine(directory, MetadataFileName));

    /// <summary>Reads and validates a package from an ONNX file and a metadata file anywhere.</summary>
    public static ModelPackage Load(string modelPath, string metadataPath)
    {
        var fullModel = Path.GetFullPath(modelPath);
        if (!File.Exists(fullModel) || new FileInfo(fullModel).Length == 0)
        {
            throw new InvalidParameterException($"The model file {fullModel} does not exist or is empty.");
        }

        ModelPackageMetadata? metadata;
        try
        {
            using var stream = File.OpenRead(metadataPath);
            metadata = JsonSerializer.Deserialize(stream, ModelPackageJsonContext.Default.ModelPackageMetadata);
        }
        catch (FileNotFoundException)
        {
            throw new InvalidParameterException($"The model metadata file {Path.GetFullPath(metadataPath)} does not exist.");
        }
        catch (JsonException ex)
        {
            throw new InvalidParameterException($"The model metadata file {Path.GetFullPath(metadataPath)} is not valid: {ex.Message}");
        }

        if (metadata is null)
        {
            throw new InvalidParameterException($"The model metadata file {Path.GetFullPath(metadataPath)} is empty.");
        }

        Validate(metadata, metadataPath);
        return new ModelPackage(Path.GetDirectoryName(fullModel)!, fullModel, metadata);
    }

    /// <summary>
    /// Writes a package into <paramref name="directory"/>: the ONNX file copied from <paramref name="modelSource"/>
    /// and the metadata, each under a temporary name first, then renamed.
    /// </summary>
    public static ModelPackage Write(string directory, string modelSource, ModelPackageMetadata metadata)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelSource);
        return Write(directory, target =>
        {
            using var source = new FileStream(modelSource, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
            source.CopyTo(target);
        }, metadata);
    }

    /// <summary>
    /// Writes a package into <paramref name="directory"/>: the ONNX bytes <paramref name="writeModel"/> writes, and the
    /// metadata, each under a temporary name first; both are renamed only once both are whole.
    /// </summary>
    public static ModelPackage Write(string directory, Action<Stream> writeModel, ModelPackageMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(writeModel);
        Validate(metadata, MetadataFileName);
        var model = Path.Combine(directory, ModelFileName);
        var json = Path.Combine(directory, MetadataFileName);
        using var modelFile = AtomicFile.Begin(model);
        using var jsonFile = AtomicFile.Begin(json);
        writeModel(modelFile.Stream);
        JsonSerializer.Serialize(jsonFile.Stream, metadata, ModelPackageJsonContext.Default.ModelPackageMetadata);
        modelFile.Commit();
        jsonFile.Commit();
        return new ModelPackage(Path.GetFullPath(directory), Path.GetFullPath(model), metadata);
    }

    /// <summary>Writes <paramref name="metadata"/> (validated first) as a package's model.json into <paramref name="stream"/>.</summary>
    internal static void WriteMetadata(Stream stream, ModelPackageMetadata metadata)
    {
        Validate(metadata, MetadataFileName);
        JsonSerializer.Serialize(stream, metadata, ModelPackageJsonContext.Default.ModelPackageMetadata);
    }

    /// <summary>Copies the package's two files into <paramref name="directory"/> (export).</summary>
    public ModelPackage CopyTo(string directory) => Write(directory, ModelPath, Metadata);

    private static void Validate(ModelPackageMetadata m, string source)
    {
        string? problem = null;
        if (m.FormatVersion != 1)
        {
            problem = $"formatVersion {m.FormatVersion} is not supported (expected 1)";
        }
        else if (!Enum.IsDefined(m.Kind))
        {
            problem = "kind must be MultiClass, MultiLabel or Detection";
        }
        else if (m.Labels.Count == 0)
        {
            problem = "labels is empty: list the labels in the model's output order";
        }
        else if (m.Labels.Any(string.IsNullOrEmpty) || m.Labels.Distinct(StringComparer.Ordinal).Count() != m.Labels.Count)
        {
            problem = "labels must be non-empty and distinct";
        }
        else if (m.Input.Width is < 1 or > 4096 || m.Input.Height is < 1 or > 4096)
        {
            problem = $"input size {m.Input.Width}x{m.Input.Height} must be between 1 and 4096 on each side";
        }
        else if (m.Input.Mean.Length != 3 || m.Input.Std.Length != 3 || m.Input.Std.Any(s => !(s > 0)))
        {
            problem = "input.mean and input.std must each have 3 values, std all positive";
        }
        else if (!Enum.IsDefined(m.Input.Resize))
        {
            problem = "input.resize must be Stretch, Letterbox or CentreCrop";
        }
        else if (!(m.Input.CropFraction > 0 && m.Input.CropFraction <= 1))
        {
            problem = "input.cropFraction must be in (0, 1]";
        }
        else if (string.IsNullOrEmpty(m.Input.Name) || string.IsNullOrEmpty(m.Output.Scores))
        {
            problem = "input.name and output.scores must name tensors of the graph";
        }
        else if (m.Output.Format == OutputFormat.BoxesAndScores && string.IsNullOrEmpty(m.Output.Boxes))
        {
            problem = "output.boxes must name the boxes tensor for the BoxesAndScores format";
        }
        else if ((m.Kind == ModelKind.Detection) != (m.Output.Format is OutputFormat.BoxesAndScores or OutputFormat.YoloX or OutputFormat.YoloV5 or OutputFormat.YoloV8))
        {
            problem = $"output.format {m.Output.Format} does not fit a {m.Kind} model";
        }
        else if (m.AssumedThresholds.Any(t => !m.Labels.Contains(t.Key) || t.Value is < 0 or > 1 || float.IsNaN(t.Value)) || m.DefaultThreshold is < 0 or > 1)
        {
            problem = "assumedThresholds must map known labels to values between 0 and 1";
        }
        else if (m.NmsIouThreshold is <= 0 or > 1)
        {
            problem = "nmsIouThreshold must be in (0, 1]";
        }

        if (problem is not null)
        {
            throw new InvalidParameterException($"The model metadata in {source} is not valid: {problem}.");
        }
    }
}
