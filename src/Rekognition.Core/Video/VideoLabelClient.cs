using Rekognition.Core.Model;
using Rekognition.Core.Services;

namespace Rekognition.Core.Video;

/// <summary>Video labels: frames from a frame source, each through the AWS-shaped client's DetectCustomLabels.</summary>
internal sealed class VideoLabelClient(IAmazonRekognition client, ResourceLookup lookup) : IVideoLabelClient
{
    /// <inheritdoc />
    public async Task<VideoLabelTimeline> DetectCustomLabelsInVideoAsync(
        string projectVersionArn, string videoPath, IVideoFrameSource? frames = null, float? minConfidence = null, CancellationToken cancellationToken = default)
    {
        var version = lookup.Version(projectVersionArn);
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
            var answer = await client.DetectCustomLabelsAsync(new DetectCustomLabelsRequest
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
