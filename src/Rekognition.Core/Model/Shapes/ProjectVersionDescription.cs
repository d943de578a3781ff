// Nullable-oblivious, as the AWS SDK's shapes are: ported code with nullable checks on gets no new warnings.
#nullable disable

namespace Rekognition.Core.Model;

/// <summary>A model version's status, training results and inference settings.</summary>
public sealed class ProjectVersionDescription
{
    /// <summary>The ARN of the model version.</summary>
    public string ProjectVersionArn { get; set; }
    /// <summary>When training started.</summary>
    public DateTime? CreationTimestamp { get; set; }
    /// <summary>The inference units the model was started with.</summary>
    public int? MinInferenceUnits { get; set; }
    /// <summary>The model version's status.</summary>
    public ProjectVersionStatus Status { get; set; }
    /// <summary>A message about the status, such as why training failed.</summary>
    public string StatusMessage { get; set; }
    /// <summary>How long the successful training took, in seconds.</summary>
    public long? BillableTrainingTimeInSeconds { get; set; }
    /// <summary>When training ended.</summary>
    public DateTime? TrainingEndTimestamp { get; set; }
    /// <summary>Where the training results are written.</summary>
    public OutputConfig OutputConfig { get; set; }
    /// <summary>The training data given, the part actually used and its validation results.</summary>
    public TrainingDataResult TrainingDataResult { get; set; }
    /// <summary>The test data given, the part actually tested and its validation results.</summary>
    public TestingDataResult TestingDataResult { get; set; }
    /// <summary>The evaluation on the test dataset; only after training succeeded.</summary>
    public EvaluationResult EvaluationResult { get; set; }
    /// <summary>The location of the summary manifest with the datasets' validation results.</summary>
    public GroundTruthManifest ManifestSummary { get; set; }
    /// <summary>The KMS key given for encrypting the model during training.</summary>
    public string KmsKeyId { get; set; }
    /// <summary>The most inference units auto-scaling may use.</summary>
    public int? MaxInferenceUnits { get; set; }
    /// <summary>For a copied version, the ARN of the version it was copied from.</summary>
    public string SourceProjectVersionArn { get; set; }
    /// <summary>The description given when the version was created.</summary>
    public string VersionDescription { get; set; }
    /// <summary>What the version's project customizes.</summary>
    public CustomizationFeature Feature { get; set; }
    /// <summary>The base detection model the version was built on.</summary>
    public string BaseModelVersion { get; set; }
    /// <summary>The feature settings the version was trained with.</summary>
    public CustomizationFeatureConfig FeatureConfig { get; set; }

    // Local additions (not in the service's API model; clients ignore unknown members): the unit counts
    // the service reports through CloudWatch as DesiredInferenceUnits and InServiceInferenceUnits.
    /// <summary>Local addition: the inference units the running model should have.</summary>
    public int? DesiredInferenceUnits { get; set; }
    /// <summary>Local addition: the inference units the running model has now.</summary>
    public int? InServiceInferenceUnits { get; set; }
}
