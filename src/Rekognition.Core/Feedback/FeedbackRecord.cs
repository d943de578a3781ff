namespace Rekognition.Core.Feedback;

/// <summary>A feedback row as stored.</summary>
public sealed record FeedbackRecord(
    long Id, string VersionArn, string SourceRef, int Width, int Height, bool IsObjectLocation, long RecordedMs,
    List<FeedbackLabel> Predictions, string Status, List<FeedbackLabel>? Reviewed, long? ReviewedMs, string? DatasetArn);
