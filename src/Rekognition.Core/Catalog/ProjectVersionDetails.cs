using System.Text.Json.Serialization;
using Rekognition.Core.Model;

namespace Rekognition.Core.Catalog;

/// <summary>
/// The parts of a version's description that are written once (at training, copy or import) and only
/// read afterwards; kept as one JSON column so new result fields need no schema change.
/// </summary>
internal sealed class ProjectVersionDetails
{
    public string? VersionDescription { get; set; }

    public long? BillableTrainingTimeInSeconds { get; set; }

    public long? TrainingEndMs { get; set; }

    public OutputConfig? OutputConfig { get; set; }

    public TrainingDataResult? TrainingDataResult { get; set; }

    public TestingDataResult? TestingDataResult { get; set; }

    public EvaluationResult? EvaluationResult { get; set; }

    public GroundTruthManifest? ManifestSummary { get; set; }

    public string? KmsKeyId { get; set; }

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
