using System.Collections.Frozen;

namespace Rekognition.Core.Validation;

/// <summary>
/// The service's 37 manifest validation codes (34 errors, 3 warnings) with their messages, plus the few
/// local codes this library uses where the service reports a condition without a code.
/// </summary>
internal static class ValidationCodes
{
    // Dataset terminal file errors.
    public const string ManifestInaccessibleOrUnsupportedFormat = "ERROR_MANIFEST_INACCESSIBLE_OR_UNSUPPORTED_FORMAT";
    public const string ManifestSizeTooLarge = "ERROR_MANIFEST_SIZE_TOO_LARGE";
    public const string ManifestRowsExceedsMaximum = "ERROR_MANIFEST_ROWS_EXCEEDS_MAXIMUM";
    public const string InvalidPermissionsManifestS3Bucket = "ERROR_INVALID_PERMISSIONS_MANIFEST_S3_BUCKET";
    public const string TooManyRecordsInError = "ERROR_TOO_MANY_RECORDS_IN_ERROR";
    public const string ManifestTooManyLabels = "ERROR_MANIFEST_TOO_MANY_LABELS";
    public const string InsufficientImagesPerLabelForDistribute = "ERROR_INSUFFICIENT_IMAGES_PER_LABEL_FOR_DISTRIBUTE";

    // Training terminal content errors.
    public const string TooManyInvalidRowsInManifest = "ERROR_TOO_MANY_INVALID_ROWS_IN_MANIFEST";
    public const string ImagesInMultipleS3Buckets = "ERROR_IMAGES_IN_MULTIPLE_S3_BUCKETS";
    public const string InvalidPermissionsImagesS3Bucket = "ERROR_INVALID_PERMISSIONS_IMAGES_S3_BUCKET";
    public const string InvalidImagesS3BucketOwner = "ERROR_INVALID_IMAGES_S3_BUCKET_OWNER";
    public const string InsufficientImagesPerLabelForAutosplit = "ERROR_INSUFFICIENT_IMAGES_PER_LABEL_FOR_AUTOSPLIT";
    public const string ManifestTooFewLabels = "ERROR_MANIFEST_TOO_FEW_LABELS";
    public const string InsufficientLabelOverlap = "ERROR_INSUFFICIENT_LABEL_OVERLAP";
    public const string ManifestTooFewUsableLabels = "ERROR_MANIFEST_TOO_FEW_USABLE_LABELS";
    public const string InsufficientUsableLabelOverlap = "ERROR_INSUFFICIENT_USABLE_LABEL_OVERLAP";
    public const string FailedImagesS3Copy = "ERROR_FAILED_IMAGES_S3_COPY";

    // Non-terminal JSON line errors.
    public const string MissingSourceRef = "ERROR_MISSING_SOURCE_REF";
    public const string InvalidSourceRefFormat = "ERROR_INVALID_SOURCE_REF_FORMAT";
    public const string NoLabelAttributes = "ERROR_NO_LABEL_ATTRIBUTES";
    public const string InvalidLabelAttributeFormat = "ERROR_INVALID_LABEL_ATTRIBUTE_FORMAT";
    public const string InvalidLabelAttributeMetadataFormat = "ERROR_INVALID_LABEL_ATTRIBUTE_METADATA_FORMAT";
    public const string NoValidLabelAttributes = "ERROR_NO_VALID_LABEL_ATTRIBUTES";
    public const string MissingBoundingBoxConfidence = "ERROR_MISSING_BOUNDING_BOX_CONFIDENCE";
    public const string MissingClassMapId = "ERROR_MISSING_CLASS_MAP_ID";
    public const string InvalidJsonLine = "ERROR_INVALID_JSON_LINE";
    public const string InvalidImage = "ERROR_INVALID_IMAGE";
    public const string InvalidImageDimension = "ERROR_INVALID_IMAGE_DIMENSION";
    public const string InvalidBoundingBox = "ERROR_INVALID_BOUNDING_BOX";
    public const string NoValidAnnotations = "ERROR_NO_VALID_ANNOTATIONS";
    public const string BoundingBoxTooSmall = "ERROR_BOUNDING_BOX_TOO_SMALL";
    public const string TooManyBoundingBoxes = "ERROR_TOO_MANY_BOUNDING_BOXES";
    public const string UnsupportedUseCaseType = "ERROR_UNSUPPORTED_USE_CASE_TYPE";
    public const string InvalidLabelNameLength = "ERROR_INVALID_LABEL_NAME_LENGTH";

    // Warnings.
    public const string UnannotatedRecord = "WARNING_UNANNOTATED_RECORD";
    public const string NoAnnotations = "WARNING_NO_ANNOTATIONS";
    public const string NoAttributeAnnotations = "WARNING_NO_ATTRIBUTE_ANNOTATIONS";

    // Local codes: the service reports these conditions with a message only, or not at all.

    /// <summary>Local: "The manifest file is empty." (the service gives this message with no code).</summary>
    public const string ManifestEmpty = "ERROR_MANIFEST_EMPTY";

    /// <summary>Local: a later line repeats an earlier <c>source-ref</c>; the service drops it silently.</summary>
    public const string DuplicateSourceRef = "ERROR_DUPLICATE_SOURCE_REF";

    /// <summary>Local: an image is both in the training and in the test manifest (the service states no code).</summary>
    public const string TrainingTestingAssetOverlap = "ERROR_TRAINING_TESTING_ASSET_OVERLAP";

    /// <summary>The percentage in the overlap messages.</summary>
    public const int OverlapPercent = 50;

    private static readonly ValidationCode[] AllCodes =
    [
        new(ManifestInaccessibleOrUnsupportedFormat, "The manifest file extension or contents are invalid.", ValidationCodeCategory.DatasetTerminalFile),
        new(ManifestSizeTooLarge, "The manifest file size exceeds the maximum supported size.", ValidationCodeCategory.DatasetTerminalFile),
        new(ManifestRowsExceedsMaximum, "The manifest file contains too many rows.", ValidationCodeCategory.DatasetTerminalFile),
        new(InvalidPermissionsManifestS3Bucket, "The S3 bucket permissions are incorrect.", ValidationCodeCategory.DatasetTerminalFile),
        new(TooManyRecordsInError, "The manifest file contains too many terminal errors.", ValidationCodeCategory.DatasetTerminalFile),
        new(ManifestTooManyLabels, "The manifest file contains too many labels.", ValidationCodeCategory.DatasetTerminalFile),
        new(InsufficientImagesPerLabelForDistribute, "The manifest file doesn't contain enough labeled images to distribute the dataset.", ValidationCodeCategory.DatasetTerminalFile),
        new(TooManyInvalidRowsInManifest, "The manifest file contains too many invalid rows.", ValidationCodeCategory.TrainingTerminalContent),
        new(ImagesInMultipleS3Buckets, "The manifest file contains images from multiple S3 buckets.", ValidationCodeCategory.TrainingTerminalContent),
        new(InvalidPermissionsImagesS3Bucket, "The S3 image bucket permissions are invalid.", ValidationCodeCategory.TrainingTerminalContent),
        new(InvalidImagesS3BucketOwner, "Invalid owner id for images S3 bucket.", ValidationCodeCategory.TrainingTerminalContent),
        new(InsufficientImagesPerLabelForAutosplit, "The manifest file doesn't contain enough labeled images per label to perform auto-split.", ValidationCodeCategory.TrainingTerminalContent),
        new(ManifestTooFewLabels, "The manifest file has too few labels.", ValidationCodeCategory.TrainingTerminalContent),
        new(InsufficientLabelOverlap, "Less than {}% label overlap between the training and testing manifest files.", ValidationCodeCategory.TrainingTerminalContent),
        new(ManifestTooFewUsableLabels, "The manifest file has too few usable labels.", ValidationCodeCategory.TrainingTerminalContent),
        new(InsufficientUsableLabelOverlap, "Less than {}% usable label overlap between the training and testing manifest files.", ValidationCodeCategory.TrainingTerminalContent),
        new(FailedImagesS3Copy, "Failed to copy images from S3 bucket.", ValidationCodeCategory.TrainingTerminalContent),
        new(MissingSourceRef, "The source-ref key is missing.", ValidationCodeCategory.NonTerminalLine),
        new(InvalidSourceRefFormat, "The format of the source-ref value is invalid.", ValidationCodeCategory.NonTerminalLine),
        new(NoLabelAttributes, "No label attributes found.", ValidationCodeCategory.NonTerminalLine),
        new(InvalidLabelAttributeFormat, "The format of the label attribute {} is invalid.", ValidationCodeCategory.NonTerminalLine),
        new(InvalidLabelAttributeMetadataFormat, "The format of the label attribute metadata is invalid.", ValidationCodeCategory.NonTerminalLine),
        new(NoValidLabelAttributes, "No valid label attributes found.", ValidationCodeCategory.NonTerminalLine),
        new(MissingBoundingBoxConfidence, "One or more bounding boxes has a missing confidence value.", ValidationCodeCategory.NonTerminalLine),
        new(MissingClassMapId, "One or more class ids is missing from the class map.", ValidationCodeCategory.NonTerminalLine),
        new(InvalidJsonLine, "The JSON line has an invalid format.", ValidationCodeCategory.NonTerminalLine),
        new(InvalidImage, "The image is invalid. Check S3 path and/or image properties.", ValidationCodeCategory.NonTerminalLine),
        new(InvalidImageDimension, "The image dimensions don't conform to the allowed dimensions.", ValidationCodeCategory.NonTerminalLine),
        new(InvalidBoundingBox, "The bounding box has off frame values.", ValidationCodeCategory.NonTerminalLine),
        new(NoValidAnnotations, "No valid annotations found.", ValidationCodeCategory.NonTerminalLine),
        new(BoundingBoxTooSmall, "The height and width of the bounding box is too small.", ValidationCodeCategory.NonTerminalLine),
        new(TooManyBoundingBoxes, "There are more bounding boxes than the allowed maximum.", ValidationCodeCategory.NonTerminalLine),
        new(UnsupportedUseCaseType, "The use case type of the {}-metadata label attribute metadata is unsupported. Check the type field.", ValidationCodeCategory.NonTerminalLine),

        // The guide gives no text for this one; this wording states the rule.
        new(InvalidLabelNameLength, "The label name length is invalid: a label name has 1 to 256 characters.", ValidationCodeCategory.NonTerminalLine),
        new(UnannotatedRecord, "Record is unannotated.", ValidationCodeCategory.Warning),
        new(NoAnnotations, "No annotations were found.", ValidationCodeCategory.Warning),
        new(NoAttributeAnnotations, "No attribute annotations were found.", ValidationCodeCategory.Warning),
        new(ManifestEmpty, "The manifest file is empty.", ValidationCodeCategory.Local),
        new(DuplicateSourceRef, "The source-ref value appears on an earlier line of the manifest.", ValidationCodeCategory.Local),
        new(TrainingTestingAssetOverlap, "The same images are in the training and the testing manifest files.", ValidationCodeCategory.Local),
    ];

    private static readonly FrozenDictionary<string, ValidationCode> ByCode = AllCodes.ToFrozenDictionary(c => c.Code, StringComparer.Ordinal);

    /// <summary>The service's 37 codes, in the order of the guide's index.</summary>
    public static IReadOnlyList<ValidationCode> ServiceCodes { get; } = AllCodes.Where(c => c.Category != ValidationCodeCategory.Local).ToArray();

    /// <summary>Every code this library can report (the service's and the local ones).</summary>
    public static IReadOnlyList<ValidationCode> All { get; } = AllCodes;

    /// <summary>The catalogue entry of <paramref name="code"/>.</summary>
    /// <exception cref="KeyNotFoundException">The code is not in the catalogue.</exception>
    public static ValidationCode Get(string code) => ByCode[code];

    /// <summary>The message of <paramref name="code"/> with its <c>{}</c> placeholder replaced by <paramref name="argument"/>.</summary>
    public static string Format(string code, string argument) => Get(code).Message.Replace("{}", argument, StringComparison.Ordinal);

    /// <summary>The message of <paramref name="code"/>, followed by <paramref name="detail"/> when given (the service allows contextual details).</summary>
    public static string MessageWithDetail(string code, string? detail)
    {
        var message = Get(code).Message;
        return detail is null ? message : string.Concat(message, " ", detail);
    }
}
