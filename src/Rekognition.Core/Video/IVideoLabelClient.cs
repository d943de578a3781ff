namespace Rekognition.Core.Video;

/// <summary>
/// Labels of a video (not a service operation): the guide's video example, one frame per second through
/// DetectCustomLabels, with each label's timestamp, and the runs of frames each label was seen in.
/// Registered by AddRekognitionCustomLabels.
/// </summary>
public interface IVideoLabelClient
{
    /// <summary>
    /// Runs a RUNNING version on frames of a video (by default one per second, taken with FFmpeg) and returns
    /// the labels with their timestamps. Without <paramref name="minConfidence"/> the assumed thresholds decide,
    /// as in the guide's example.
    /// </summary>
    /// <exception cref="InvalidOperationException">No frame source was given and FFmpeg is not installed.</exception>
    Task<VideoLabelTimeline> DetectCustomLabelsInVideoAsync(
        string projectVersionArn, string videoPath, IVideoFrameSource? frames = null, float? minConfidence = null, CancellationToken cancellationToken = default);
}
