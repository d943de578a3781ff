using Rekognition.Core.Model;
using Rekognition.Core.Video;

namespace Rekognition.Core;

// Labels of a video (not a service operation): the guide's video example, one frame per second through
// DetectCustomLabels, with each label's timestamp, and the runs of frames each label was seen in.
public sealed partial class RekognitionCustomLabelsClient
{
    /// <summary>
    /// Runs a RUNNING version on frames of a video (by default one per second, taken with FFmpeg) and returns
    /// the labels with their timestamps. Without <paramref name="minConfidence"/> the assumed thresholds decide,
    /// as in the guide's example.
    /// </summary>
    /// <exception cref="InvalidOperationException">No frame source was given and FFmpeg is not installed.</exception>
    public async Task<VideoLabelTimeline> DetectCustomLabelsInVideoAsync(
        string projectVersionArn, string videoPath, IVideoFrameSource? frames = null, float? minConfidence = null, CancellationToken cancellationToken = default)
    {
        var version = FindVersion(projectVersionArn);
        if (version.Status != ProjectVersionStatus.RUNNING.Value)
        {
            throw new ResourceNotReadyException($"The model is {version.Status}, not RUNNING. Start it with StartProjectVersion and wait for RUNNING.");
        }

        frames ??= new FfmpegFrameSource();
        var labels = new List<VideoLabel>();
        var timestamps = new List<long>();
        await foreach (var frame in frames.ReadFramesAsync(videoPath, cancellationToken).ConfigureAwait(false))
        {
            var timestamp = (long)frame.Timestamp.TotalMilliseconds;
            timestamps.Add(timestamp);
            var answer = await DetectCustomLabelsAsync(new DetectCustomLabelsRequest
            {
                ProjectVersionArn = version.Arn,
                Image = new Image { Bytes = new MemoryStream(frame.EncodedImage, 0, frame.EncodedImage.Length, writable: false, publiclyVisible: true) },
                MinConfidence = minConfidence,
            }, cancellationToken).ConfigureAwait(false);
            labels.AddRange(answer.CustomLabels.Select(l => new VideoLabel(timestamp, l.Name!, l.Confidence ?? 0, l.Geometry)));
        }

        return new VideoLabelTimeline { FramesAnalysed = timestamps.Count, Labels = labels, Segments = VideoLabelTimeline.BuildSegments(timestamps, labels) };
    }
}
