using System.Text.Json.Serialization;
using Rekognition.Core.Model;

namespace Rekognition.Core.Catalog;

/// <summary>
/// The parts of a version's description that are written once (at training, copy or import) and only
/// read afterwards; kept as one JSON column so new result fields need no schema change.
/// </summary>
public sealed class ProjectVersionDetails
{
    /// <summary>The description given at training.</summary>
    public string? VersionDescription { get; set; }

    /// <summary>Seconds billed for the training.</summary>
    public long? BillableTrainingTimeInSeconds { get; set; }

    /// <summary>When the training ended (Unix milliseconds).</summary>
    public long? TrainingEndMs { get; set; }

    /// <summary>Where the training wrote its output.</summary>
    public OutputConfig? OutputConfig { get; set; }

    /// <summary>The training data used.</summary>
    public TrainingDataResult? TrainingDataResult { get; set; }

    /// <summary>The test data used.</summary>
    public TestingDataResult? TestingDataResult { get; set; }

    /// <summary>The evaluation's F1 score and summary file.</summary>
    public EvaluationResult? EvaluationResult { get; set; }

    /// <summary>The manifest summary file.</summary>
    public GroundTruthManifest? ManifestSummary { get; set; }

    /// <summary>The KMS key given at training.</summary>
    public string? KmsKeyId { get; set; }

    /// <summary>The version a copy was made from.</summary>
    public string? SourceProjectVersionArn { get; set; }

    /// <summary>The backbone a training runs with (null: the built-in one), so a training resumed after a crash uses it again.</summary>
    public string? TrainingBackbone { get; set; }

    /// <summary>The detection backbone a training runs with when it trains a detector (null: the built-in detector).</summary>
    public string? TrainingDetectionBackbone { get; set; }

    /// <summary>Whether the training uses unlabeled images as negative examples (null: no).</summary>
    public bool? TrainingNegativeExamples { get; set; }

    /// <summary>Milliseconds a training has run so far, as of its last progress report (a resumed training's billing starts from it).</summary>
    public long? TrainingElapsedMs { get; set; }
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ProjectVersionDetails))]
internal sealed partial class CatalogJsonContext : JsonSerializerContext;
