using System.Globalization;

namespace Rekognition.Core.Storage;

/// <summary>
/// Every object key of the store, built in one place and only from the ids and times the catalog makes (never from
/// project or version names, which may be "." or ".."). Keys are relative and '/'-separated; an <see cref="IObjectStore"/>
/// maps them to files (the local folder) or objects (S3).
/// </summary>
internal static class StoreLayout
{
    /// <summary>The prefix of every model package.</summary>
    public const string ModelsPrefix = "models";

    /// <summary>The prefix of every training's scratch objects.</summary>
    public const string TrainingPrefix = "training";

    /// <summary>The local folder (beneath the root) of the read-through cache, used when the objects are not in the root folder.</summary>
    public const string LocalCachePrefix = "cache";

    /// <summary>The prefix of the console's stored thumbnails.</summary>
    public const string ThumbnailsPrefix = "thumbnails";

    /// <summary>The store's secret for signing pagination tokens (<c>Requests.PaginationKey</c>).</summary>
    public const string PaginationKey = "pagination.key";

    /// <summary>A version's model package (a prefix: the package's objects are beneath it).</summary>
    public static string ModelPackage(long projectId, long versionId, long createdMs) =>
        $"{ModelsPrefix}/{Id(projectId)}/{Id(versionId)}-{Id(createdMs)}";

    /// <summary>
    /// A stored thumbnail of a dataset's entry image: beneath the dataset's id, named by a SHA-256 (hex) the store makes
    /// of what identifies it, so no caller text reaches the key.
    /// </summary>
    public static string Thumbnail(long datasetId, string sha256Hex)
    {
        if (sha256Hex.Length != 64 || !sha256Hex.All(char.IsAsciiHexDigitLower))
        {
            throw new ArgumentException("Not a lower-case SHA-256 in hex.", nameof(sha256Hex));
        }

        return Child(DatasetThumbnails(datasetId), sha256Hex + ".jpg");
    }

    /// <summary>A dataset's stored thumbnails (a prefix; removed with the dataset).</summary>
    public static string DatasetThumbnails(long datasetId) => $"{ThumbnailsPrefix}/{Id(datasetId)}";

    /// <summary>A model package imported before its version row exists: a new unique prefix.</summary>
    public static string ImportedModelPackage(long projectId, long createdMs, Guid unique) =>
        $"{ModelsPrefix}/{Id(projectId)}/import-{Id(createdMs)}-{unique:N}";

    /// <summary>The ONNX file of the package at <paramref name="package"/>.</summary>
    public static string ModelFile(string package) => Child(package, Models.ModelPackage.ModelFileName);

    /// <summary>The metadata (model.json) of the package at <paramref name="package"/>.</summary>
    public static string ModelMetadata(string package) => Child(package, Models.ModelPackage.MetadataFileName);

    /// <summary>The HTML evaluation report kept beside the package at <paramref name="package"/>.</summary>
    public static string EvaluationReport(string package) => Child(package, "evaluation.html");

    /// <summary>The precision-recall curves computed once for the package at <paramref name="package"/> and kept beside it.</summary>
    public static string PrecisionRecallCurves(string package) => Child(package, "pr-curves.json");

    /// <summary>A version's training scratch prefix (trainer output and checkpoint, staged output files).</summary>
    public static string Training(long projectId, long versionId, long createdMs) =>
        $"{TrainingPrefix}/{Id(projectId)}/{Id(versionId)}-{Id(createdMs)}";

    /// <summary>The trainer's own folder of a training (its package and its checkpoint); <c>TrainingJob.OutputDirectory</c>.</summary>
    public static string TrainerOutput(string training) => Child(training, "trainer");

    /// <summary>The trainer's checkpoint of a training: what a training resumed after a crash goes on from.</summary>
    public static string TrainerCheckpoint(string training) =>
        $"{TrainerOutput(training)}/{Rekognition.Core.Training.TrainingJob.CheckpointDirectoryName}/{Rekognition.Core.Training.TrainingJob.CheckpointFileName}";

    /// <summary>Where a training stages its output files (manifest copies, validation results, evaluation files) before they are published to the output bucket.</summary>
    public static string StagedOutputs(string training) => Child(training, "output");

    /// <summary>One staged output file of a training.</summary>
    public static string StagedOutput(string training, StagedFile file) => Child(StagedOutputs(training), StagedFileName(file));

    /// <summary>The store's name of a staged file; fixed names, so no caller's name reaches a key.</summary>
    public static string StagedFileName(StagedFile file) => file switch
    {
        StagedFile.TrainingInputManifest => "training_input_manifest.json",
        StagedFile.TestingInputManifest => "testing_input_manifest.json",
        StagedFile.TrainingOutputManifest => "training_output_manifest.json",
        StagedFile.TestingOutputManifest => "testing_output_manifest.json",
        StagedFile.EvaluationSummary => "evaluation_summary.json",
        StagedFile.ManifestSummary => "manifest_summary.json",
        StagedFile.TrainingValidationManifest => "training_manifest_with_validation.json",
        StagedFile.TestingValidationManifest => "testing_manifest_with_validation.json",
        _ => throw new ArgumentOutOfRangeException(nameof(file), file, "Not a staged file."),
    };

    private static string Child(string prefix, string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        return $"{prefix}/{name}";
    }

    private static string Id(long value) => value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>The files a training stages before publishing them to its output location.</summary>
internal enum StagedFile
{
    TrainingInputManifest,
    TestingInputManifest,
    TrainingOutputManifest,
    TestingOutputManifest,
    EvaluationSummary,
    ManifestSummary,
    TrainingValidationManifest,
    TestingValidationManifest,
}
