using Rekognition.Core.Inference;
using Rekognition.Core.Models;

namespace Rekognition.Core.Training;

/// <summary>
/// The training backend: turns labelled images into a model package. Rekognition.Training provides the
/// ONNX Runtime implementation; CreateProjectVersion finds it through DI, validates the datasets first,
/// and evaluates the package on the test images afterwards.
/// </summary>
public interface IModelTrainer
{
    /// <summary>
    /// Trains on <see cref="TrainingJob.TrainImages"/> and writes the model package (model.onnx and model.json,
    /// through temporary names) into <see cref="TrainingJob.OutputDirectory"/>. Throws
    /// <see cref="OperationCanceledException"/> when cancelled; a checkpoint in the output directory lets a
    /// later call with the same job resume.
    /// </summary>
    Task<ModelPackage> TrainAsync(TrainingJob job, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken);
}

/// <summary>One training job: what to learn, from which images, and where to write the result.</summary>
/// <param name="Kind">Multi-class, multi-label or detection, from how the datasets are labelled.</param>
/// <param name="Labels">The labels, in the order the model's output will have.</param>
/// <param name="TrainImages">The training images.</param>
/// <param name="ValidationImages">Images the trainer may use to pick thresholds or stop early (the test set's images; may be empty).</param>
/// <param name="OutputDirectory">Where the package and any checkpoint go.</param>
/// <param name="Backbone">
/// The path of an external ONNX backbone for transfer learning; <see cref="TrainingJob.NoBackbone"/> for the built-in network
/// trained from scratch; null for the trainer's default (Rekognition.Training's: an ImageNet-pretrained ResNet18).
/// </param>
public sealed record TrainingJob(
    ModelKind Kind,
    IReadOnlyList<string> Labels,
    IReadOnlyList<TrainingImage> TrainImages,
    IReadOnlyList<TrainingImage> ValidationImages,
    string OutputDirectory,
    string? Backbone)
{
    /// <summary>
    /// Opens a training or validation image for reading. A store sets it so that every image is opened beneath the
    /// buckets root or an allowed image root (a symbolic link out, even one added after validation, is refused with an
    /// <see cref="IOException"/>); null opens <see cref="TrainingImage.Path"/> as a plain file. Trainers read images through <see cref="OpenImageFile"/>.
    /// </summary>
    public Func<string, Stream>? OpenImage { get; init; }

    /// <summary>Opens an image of this job for reading, through <see cref="OpenImage"/> when it is set.</summary>
    public Stream OpenImageFile(string path) =>
        OpenImage is { } open ? open(path) : new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);

    /// <summary>The <see cref="Backbone"/> (and <c>Rekognition:Training:Backbone</c>) value that asks for the built-in network trained from scratch.</summary>
    public const string NoBackbone = "none";

    /// <summary>Whether <paramref name="backbone"/> is <see cref="NoBackbone"/> (in any case).</summary>
    public static bool IsNoBackbone(string? backbone) => string.Equals(backbone, NoBackbone, StringComparison.OrdinalIgnoreCase);

    /// <summary>The name of a trainer's checkpoint file inside <see cref="CheckpointDirectory"/>.</summary>
    public const string CheckpointFileName = "training.ckpt";

    /// <summary>The name of the checkpoint folder inside <see cref="OutputDirectory"/>.</summary>
    public const string CheckpointDirectoryName = "checkpoint";

    /// <summary>
    /// Where a trainer keeps the checkpoint it resumes from (written at the end of epochs, removed once the
    /// package is written); a store that finds one after a crash trains the version again from it.
    /// </summary>
    public string CheckpointDirectory => CheckpointDirectoryFor(OutputDirectory);

    /// <summary>The checkpoint folder of a job whose output directory is <paramref name="outputDirectory"/>.</summary>
    public static string CheckpointDirectoryFor(string outputDirectory) => Path.Combine(outputDirectory, CheckpointDirectoryName);

    /// <summary>Whether a job writing to <paramref name="outputDirectory"/> left a checkpoint there.</summary>
    public static bool HasCheckpoint(string outputDirectory) =>
        File.Exists(Path.Combine(CheckpointDirectoryFor(outputDirectory), CheckpointFileName));
}

/// <summary>A labelled image: its file, the indexes (into <see cref="TrainingJob.Labels"/>) of its labels, and its boxes for detection.</summary>
/// <param name="Path">The image file (the original, not resized).</param>
/// <param name="Labels">Classification: the image-level labels. Detection: the distinct labels of <paramref name="Boxes"/>.</param>
/// <param name="Boxes">Detection: every valid box of the image whose label is trained (a training image has at least one: images without boxes are not used). Classification: empty.</param>
public sealed record TrainingImage(string Path, IReadOnlyList<int> Labels, IReadOnlyList<TrainingBox> Boxes);

/// <summary>
/// An object in an image: its label index into <see cref="TrainingJob.Labels"/> and its box as ratios of the original
/// image (the manifest's pixel box divided by its <c>image_size</c>: Left and Width by the width, Top and Height by the
/// height, origin top-left), the form DetectCustomLabels returns; a trainer that resizes or letterboxes maps them itself.
/// </summary>
public readonly record struct TrainingBox(int Label, NormalizedBox Box)
{
    /// <summary>
    /// The manifest box's COCO <c>iscrowd</c>: trainers use the box as any other, the COCO-exact evaluation of the test
    /// set ignores it as pycocotools does.
    /// </summary>
    public bool IsCrowd { get; init; }

    /// <summary>The manifest box's COCO <c>area</c> as a fraction of the image's area (null when the manifest has none); for the COCO-exact area ranges.</summary>
    public double? AreaFraction { get; init; }
}

/// <summary>Where a training run stands.</summary>
/// <param name="Epoch">Epochs completed.</param>
/// <param name="Epochs">Epochs planned.</param>
/// <param name="Loss">Mean training loss over the last epoch.</param>
/// <param name="Elapsed">Time spent so far.</param>
/// <param name="Remaining">Estimated time left, when known.</param>
public readonly record struct TrainingProgress(int Epoch, int Epochs, float Loss, TimeSpan Elapsed, TimeSpan? Remaining);
