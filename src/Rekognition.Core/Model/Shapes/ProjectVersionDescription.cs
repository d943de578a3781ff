// Nullable-oblivious, as the AWS SDK's shapes are: ported code with nullable checks on gets no new warnings.
#nullable disable

namespace Rekognition.Core.Model;

public sealed class ProjectVersionDescription
{
    public string ProjectVersionArn { get; set; }
    public DateTime? CreationTimestamp { get; set; }
    public int? MinInferenceUnits { get; set; }
    public ProjectVersionStatus Status { get; set; }
    public string StatusMessage { get; set; }
    public long? BillableTrainingTimeInSeconds { get; set; }
    public DateTime? TrainingEndTimestamp { get; set; }
    public OutputConfig OutputConfig { get; set; }
    public TrainingDataResult TrainingDataResult { get; set; }
    public TestingDataResult TestingDataResult { get; set; }
    public EvaluationResult EvaluationResult { get; set; }
    public GroundTruthManifest ManifestSummary { get; set; }
    public string KmsKeyId { get; set; }
    public int? MaxInferenceUnits { get; set; }
    public string SourceProjectVersionArn { get; set; }
    public string VersionDescription { get; set; }
    public CustomizationFeature Feature { get; set; }
    public string BaseModelVersion { get; set; }
    public CustomizationFeatureConfig FeatureConfig { get; set; }

    // Local additions (not in the service's API model; clients ignore unknown members): the unit counts
    // the service reports through CloudWatch as DesiredInferenceUnits and InServiceInferenceUnits.
    public int? DesiredInferenceUnits { get; set; }
    public int? InServiceInferenceUnits { get; set; }
}
