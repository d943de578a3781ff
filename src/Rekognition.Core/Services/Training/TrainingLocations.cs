using Rekognition.Core.Catalog;
using Rekognition.Core.Model;
using Rekognition.Core.Storage;

namespace Rekognition.Core.Services.Training;

/// <summary>Where a training keeps its files (store folders built from store ids only) and what its output files are called.</summary>
internal sealed class TrainingLocations(StorePaths storePaths, SourceRefResolver resolver)
{
    // Output files beside the service's own (manifest_summary.json, *_with_validation.json, the evaluation summary):
    // the lines the run read, the lines it trained on, and the test images with their predictions.
    public const string TrainingInputFileName = "training_input_manifest.json";
    public const string TestingInputFileName = "testing_input_manifest.json";
    public const string TrainingSnapshotFileName = "training_output_manifest.json";
    public const string EvaluationSnapshotFileName = "testing_output_manifest.json";

    /// <summary>The name of the HTML evaluation report beside the model package.</summary>
    public const string ReportFileName = "evaluation.html";

    /// <summary>Where a version's training keeps its scratch files and the trainer's output (and checkpoint).</summary>
    public string WorkDirectory(VersionRecord version) => storePaths.TrainingDirectory(version.ProjectId, version.Id, version.CreatedMs);

    /// <summary>Where a version's model package is written.</summary>
    public string ModelDirectory(VersionRecord version) => storePaths.ModelDirectory(version.ProjectId, version.Id, version.CreatedMs);

    public static string TrainerDirectory(string workDirectory) => Path.Combine(workDirectory, "trainer");

    /// <summary>The output files are written here first (a store folder), then copied into the output bucket folder.</summary>
    public static string StagingDirectory(string workDirectory) => Path.Combine(workDirectory, "output");

    /// <summary>The version's folder in its output bucket (OutputConfig's prefix, then the version name).</summary>
    public BucketFolder OutputFolder(OutputConfig output, VersionRecord version) =>
        new(resolver.Buckets, output.S3Bucket!, $"{output.S3KeyPrefix}{version.Name}/");
}
