using Rekognition.Core.Model;

namespace Rekognition.Core.Feedback;

/// <summary>Where a recorded prediction stands in review.</summary>
public enum FeedbackStatus
{
    /// <summary>Recorded; no reviewer has looked at it yet.</summary>
    PendingReview,

    /// <summary>A reviewer confirmed the model's labels as they were.</summary>
    Accepted,

    /// <summary>A reviewer replaced the model's labels (names and/or boxes).</summary>
    Corrected,

    /// <summary>A reviewer set the image aside; it is never added to a dataset.</summary>
    Discarded,
}

/// <summary>
/// One label on a recorded image: as the model predicted it (with its confidence) or as a reviewer set it
/// (no confidence). <see cref="Box"/> is a ratio of the image's size, as in DetectCustomLabels; object-location
/// models have one, image-level labels have none.
/// </summary>
public sealed class FeedbackLabel
{
    /// <summary>The label's name.</summary>
    public string Name { get; set; } = "";

    /// <summary>The model's confidence, 0 to 100; null for a label a reviewer set.</summary>
    public float? Confidence { get; set; }

    /// <summary>Where the object is, as ratios of the image's width and height; null for an image-level label.</summary>
    public BoundingBox? Box { get; set; }
}

/// <summary>An image a running model analysed while feedback recording was on, with the model's answer and its review.</summary>
public sealed class FeedbackItem
{
    /// <summary>The record's id, used to review it.</summary>
    public long Id { get; init; }

    /// <summary>The model version that made the predictions.</summary>
    public string ProjectVersionArn { get; init; } = "";

    /// <summary>The stored copy of the image, as a source-ref (<c>s3://custom-labels-feedback/...</c> under the buckets root).</summary>
    public string ImageSourceRef { get; init; } = "";

    /// <summary>The image's width in pixels.</summary>
    public int ImageWidth { get; init; }

    /// <summary>The image's height in pixels.</summary>
    public int ImageHeight { get; init; }

    /// <summary>Whether the model locates objects (its labels have boxes).</summary>
    public bool IsObjectLocation { get; init; }

    /// <summary>When the image was analysed.</summary>
    public DateTime RecordedAt { get; init; }

    /// <summary>
    /// The model's answer, highest confidence first: a classifier's best <see cref="FeedbackRecordingRuntime.MaxRecordedLabels"/>
    /// labels whatever their confidence, a detector's boxes at its assumed thresholds (DetectCustomLabels' default answer).
    /// </summary>
    public IReadOnlyList<FeedbackLabel> Predictions { get; init; } = Array.Empty<FeedbackLabel>();

    /// <summary>Where the review stands.</summary>
    public FeedbackStatus Status { get; init; }

    /// <summary>The labels the reviewer confirmed or set; null before review.</summary>
    public IReadOnlyList<FeedbackLabel>? ReviewedLabels { get; init; }

    /// <summary>When it was reviewed.</summary>
    public DateTime? ReviewedAt { get; init; }

    /// <summary>The dataset the reviewed image was added to; null until then.</summary>
    public string? AddedToDatasetArn { get; init; }
}
