using Rekognition.Core.Catalog;
using Rekognition.Core.Model;
using Rekognition.Core.Storage;

namespace Rekognition.Core.Services.Training;

/// <summary>Where a training keeps its files (store keys built from store ids only, <see cref="StoreLayout"/>) and what its output files are called.</summary>
internal sealed class TrainingLocations(Store store, SourceRefResolver resolver)
{
    // Output files beside the service's own (manifest_summary.json, *_with_validation.json, the evaluation summary):
    // the lines the run read, the lines it trained on, and the test images with their predictions.
    public const string TrainingInputFileName = "training_input_manifest.json";
    public const string TestingInputFileName = "testing_input_manifest.json";
    public const string TrainingSnapshotFileName = "training_output_manifest.json";
    public const string EvaluationSnapshotFileName = "testing_output_manifest.json";

    /// <summary>The key of a version's training scratch (staged outputs, the trainer's output and checkpoint).</summary>
    public static string TrainingKey(VersionRecord version) => StoreLayout.Training(version.ProjectId, version.Id, version.CreatedMs);

    /// <summary>The key of a version's model package.</summary>
    public static string PackageKey(VersionRecord version) => StoreLayout.ModelPackage(version.ProjectId, version.Id, version.CreatedMs);

    /// <summary>The local folder the output files are written to first, then copied into the output bucket folder.</summary>
    public string StagingDirectory(string trainingKey, bool create) => store.WorkingDirectory(StoreLayout.StagedOutputs(trainingKey), create);

    /// <summary>The local folder the trainer writes its output and checkpoint to.</summary>
    public string TrainerDirectory(string trainingKey) => store.WorkingDirectory(StoreLayout.TrainerOutput(trainingKey));

    /// <summary>Whether the trainer left a checkpoint for this version's training.</summary>
    public bool HasCheckpoint(VersionRecord version) =>
        store.Objects.ExistsAsync(StoreLayout.TrainerCheckpoint(TrainingKey(version))).GetAwaiter().GetResult();

    /// <summary>The version's folder in its output bucket (OutputConfig's prefix, then the version name).</summary>
    public BucketFolder OutputFolder(OutputConfig output, VersionRecord version) =>
        new(resolver.Buckets, output.S3Bucket!, $"{output.S3KeyPrefix}{version.Name}/");
}
