namespace Rekognition.Core;

/// <summary>
/// Settings of a local Rekognition store, bindable from the <c>Rekognition</c> configuration section
/// (so <c>Rekognition__StoreRoot</c> in the environment, <c>--Rekognition:StoreRoot=...</c> on a command line).
/// </summary>
public sealed class RekognitionOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string SectionName = "Rekognition";

    /// <summary>Where the catalog and the artifacts live. Default: <c>rekognition</c> under the user's local application data.</summary>
    public string StoreRoot { get; set; } = DefaultStoreRoot();

    /// <summary>The folder that stands for S3: <c>s3://bucket/key</c> is <c>&lt;BucketsRoot&gt;/bucket/key</c>. Default: <c>buckets</c> under <see cref="StoreRoot"/>.</summary>
    public string? BucketsRoot { get; set; }

    /// <summary>Further folders that <c>file://</c> URIs and plain paths in <c>source-ref</c> may point into.</summary>
    public List<string> AllowedImageRoots { get; set; } = new();

    /// <summary>The 12-digit account id written into ARNs.</summary>
    public string AccountId { get; set; } = "000000000000";

    /// <summary>The region written into ARNs.</summary>
    public string Region { get; set; } = "local";

    /// <summary>Manifest and dataset limits; the defaults are the service's.</summary>
    public ManifestLimits Limits { get; set; } = new();

    /// <summary>
    /// Whether dataset imports open each image's header to check format, size and dimensions
    /// (the service always does). Off makes imports of manifests whose images are not on this machine possible.
    /// </summary>
    public bool CheckImages { get; set; } = true;

    /// <summary>Most inference units one running model may use (each unit is one ONNX Runtime session).</summary>
    public int MaxInferenceUnits { get; set; } = 8;

    /// <summary>The catalog provider and its connection (the <c>Rekognition:Catalog</c> section).</summary>
    public CatalogOptions Catalog { get; set; } = new();

    /// <summary>Store-wide training defaults (the <c>Rekognition:Training</c> section).</summary>
    public TrainingDefaults Training { get; set; } = new();

    /// <summary>This host among several on one catalog: its id, roles and leases (the <c>Rekognition:Host</c> section).</summary>
    public RekognitionHostOptions Host { get; set; } = new();

    /// <summary>Where artifacts (model packages, evaluation files, training outputs) are kept: the <c>Rekognition:Artifacts</c> section.</summary>
    public ArtifactsOptions Artifacts { get; set; } = new();

    /// <summary>What <c>s3://</c> locations are: the <c>Rekognition:Buckets</c> section.</summary>
    public BucketsOptions Buckets { get; set; } = new();

    /// <summary>The S3 client settings shared by the S3 providers: the <c>Rekognition:S3</c> section.</summary>
    public S3Options S3 { get; set; } = new();

    /// <summary>The buckets root actually used.</summary>
    public string ResolvedBucketsRoot => BucketsRoot ?? Path.Combine(StoreRoot, "buckets");

    private static string DefaultStoreRoot()
    {
        var baseDir = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify);
        if (string.IsNullOrEmpty(baseDir))
        {
            baseDir = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share");
        }

        return Path.Combine(baseDir, "rekognition");
    }
}

/// <summary>Store-wide training defaults; a training job may override them (<see cref="Training.TrainingRunOptions"/>).</summary>
public sealed class TrainingDefaults
{
    /// <summary>
    /// The path of an ONNX model whose pooled features new image classifiers are trained on (transfer learning), e.g. an
    /// ImageNet classifier; <c>Rekognition__Training__Backbone</c> in the environment. <c>none</c>: the built-in
    /// networks, trained from scratch. Unset: the training backend's default (Rekognition.Training's: the
    /// ImageNet-pretrained ResNet18 of the Microsoft.ML.DnnImageFeaturizer.ResNet18 package).
    /// </summary>
    public string? Backbone { get; set; }

    /// <summary>
    /// The path of a pretrained ONNX detector (a YOLOX, YOLOv5 or YOLOv8 export, e.g. the COCO YOLOX-Nano) that new object detectors are
    /// fine-tuned from; <c>Rekognition__Training__DetectionBackbone</c> in the environment. Unset or <c>none</c>: the
    /// built-in detector, trained from scratch. <see cref="Backbone"/> serves classifiers only.
    /// </summary>
    public string? DetectionBackbone { get; set; }

    /// <summary>
    /// Whether training images without labels are used as negative examples ("none of these"), as IBM Watson's negative
    /// examples and Custom Vision's Negative tag are; <c>Rekognition__Training__NegativeExamples</c>. Off (the service's
    /// behaviour): such images are validated but not trained on. On: a multi-label classifier learns all-zero targets from
    /// them, a single-label classifier a background class it never returns, a detector background-only images.
    /// </summary>
    public bool NegativeExamples { get; set; }
}

/// <summary>The service's limits on manifests and datasets; tests may lower them, conformance keeps the defaults.</summary>
public sealed class ManifestLimits
{
    /// <summary>Largest manifest file, in bytes (1 GB).</summary>
    public long MaxManifestBytes { get; set; } = 1L << 30;

    /// <summary>Most JSON lines in one manifest.</summary>
    public int MaxManifestLines { get; set; } = 250_000;

    /// <summary>Longest JSON line, in characters.</summary>
    public int MaxLineCharacters { get; set; } = 100_000;

    /// <summary>Most UTF-8 bytes a line of <see cref="MaxLineCharacters"/> characters can take, for line readers.</summary>
    internal int MaxLineBytes => (int)Math.Min(int.MaxValue - 16, (long)MaxLineCharacters * 3);

    /// <summary>Most distinct labels in a dataset.</summary>
    public int MaxLabels { get; set; } = 250;

    /// <summary>Fewest distinct labels for a classification dataset.</summary>
    public int MinClassificationLabels { get; set; } = 2;

    /// <summary>Fewest distinct labels for an object-location dataset.</summary>
    public int MinDetectionLabels { get; set; } = 1;

    /// <summary>Most labels on one image.</summary>
    public int MaxLabelsPerImage { get; set; } = 50;

    /// <summary>Most bounding boxes on one image.</summary>
    public int MaxBoundingBoxesPerImage { get; set; } = 50;

    /// <summary>Longest label name, in characters.</summary>
    public int MaxLabelNameLength { get; set; } = 256;

    /// <summary>Share of invalid lines above which an import fails (cumulative over every rule).</summary>
    public double MaxInvalidLineFraction { get; set; } = 0.20;

    /// <summary>Fewest share of training labels that the test set must also have.</summary>
    public double MinLabelOverlap { get; set; } = 0.50;

    /// <summary>Largest <c>UpdateDatasetEntries</c> change set, in bytes (5 MB).</summary>
    public int MaxChangesBytes { get; set; } = 5 * 1024 * 1024;

    /// <summary>Image file size limit for training and test images (15 MB).</summary>
    public long MaxImageBytes { get; set; } = 15L * 1024 * 1024;

    /// <summary>Smallest image side, in pixels.</summary>
    public int MinImageSide { get; set; } = 64;

    /// <summary>Largest image side, in pixels.</summary>
    public int MaxImageSide { get; set; } = 4096;

    /// <summary>Largest ratio of the longer to the shorter image side.</summary>
    public double MaxAspectRatio { get; set; } = 20.0;

    /// <summary>Longest image side used in training; boxes must stay larger than 1x1 px at that scale.</summary>
    public int TrainingMaxImageSide { get; set; } = 1280;
}
