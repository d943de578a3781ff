using Rekognition.Core.Catalog;
using Rekognition.Core.Evaluation;
using Rekognition.Core.Model;
using Rekognition.Core.Storage;
using Rekognition.Core.Validation;

namespace Rekognition.Core.Services.Training;

/// <summary>
/// Where a training keeps its files (store keys built from store ids only, <see cref="StoreLayout"/>), what its output
/// files are called in the output bucket, and their publication there.
/// </summary>
internal sealed class TrainingLocations(Store store, IBucketStore buckets)
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

    /// <summary>
    /// The name a staged file has in the output bucket: the service's names (the evaluation summary's is made of the
    /// project and version names, as the service's is; it only ever names an object of the user's bucket, never a store key).
    /// </summary>
    public static string PublishedName(StagedFile file, ProjectRecord project, VersionRecord version) => file switch
    {
        StagedFile.TrainingInputManifest => TrainingInputFileName,
        StagedFile.TestingInputManifest => TestingInputFileName,
        StagedFile.TrainingOutputManifest => TrainingSnapshotFileName,
        StagedFile.TestingOutputManifest => EvaluationSnapshotFileName,
        StagedFile.EvaluationSummary => EvaluationSummaryWriter.FileName(project.Name, version.Name),
        StagedFile.ManifestSummary => TrainingManifestValidation.SummaryFileName,
        StagedFile.TrainingValidationManifest => TrainingManifestValidation.TrainingManifestFileName,
        StagedFile.TestingValidationManifest => TrainingManifestValidation.TestingManifestFileName,
        _ => throw new ArgumentOutOfRangeException(nameof(file), file, "Not a staged file."),
    };

    /// <summary>
    /// The local scratch folder the trainer writes its output and checkpoint to: on this machine only, outside the object
    /// store (the checkpoint reaches the store through <see cref="CheckpointMirror"/>, the package through the store's put),
    /// named from the store root and the training's key, so a training resumed on this machine finds the same folder.
    /// </summary>
    public string TrainerDirectory(string trainingKey)
    {
        var storeId = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(store.Root)))[..16];
        var directory = Path.Combine([Path.GetTempPath(), "rekognition-training", storeId, .. StoreLayout.TrainerOutput(trainingKey).Split('/')]);
        Directory.CreateDirectory(directory);
        return directory;
    }

    /// <summary>Removes the trainer's local scratch folder; a failure only leaves it for the system's temporary-file cleanup.</summary>
    public void DeleteTrainerDirectory(string trainingKey)
    {
        var directory = TrainerDirectory(trainingKey);
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>Whether the trainer left a checkpoint for this version's training.</summary>
    public bool HasCheckpoint(VersionRecord version) =>
        store.Objects.ExistsAsync(StoreLayout.TrainerCheckpoint(TrainingKey(version))).GetAwaiter().GetResult();

    /// <summary>The version's folder in its output bucket (OutputConfig's prefix, then the version name).</summary>
    public BucketFolder OutputFolder(OutputConfig output, VersionRecord version) =>
        new(buckets, output.S3Bucket!, $"{output.S3KeyPrefix}{version.Name}/");

    /// <summary>Most staged files copied into the output folder at once (each copy is a download and an upload with S3).</summary>
    public const int MaxParallelPublishes = 4;

    /// <summary>Copies staged files of a training from the store into its output folder, under the service's names, several at once.</summary>
    public Task PublishAsync(BucketFolder folder, string trainingKey, ProjectRecord project, VersionRecord version, CancellationToken ct, params StagedFile[] files) =>
        Parallel.ForEachAsync(files, new ParallelOptions { MaxDegreeOfParallelism = MaxParallelPublishes, CancellationToken = ct }, async (file, token) =>
        {
            await using var staged = await store.Objects.OpenExistingAsync(StoreLayout.StagedOutput(trainingKey, file), token).ConfigureAwait(false);
            await folder.CopyAsync(PublishedName(file, project, version), staged).ConfigureAwait(false);
        });
}
