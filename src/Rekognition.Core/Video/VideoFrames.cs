namespace Rekognition.Core.Video;

/// <summary>One frame taken from a video, encoded as JPEG or PNG.</summary>
/// <param name="Index">The frame's index in the video (0-based).</param>
/// <param name="Timestamp">Where it is in the video: index / frames per second.</param>
/// <param name="EncodedImage">The frame as an image file's bytes.</param>
public sealed record VideoFrame(long Index, TimeSpan Timestamp, byte[] EncodedImage);

/// <summary>Takes frames out of a video file: by default one per second, as the guide's video example does.</summary>
public interface IVideoFrameSource
{
    /// <summary>The frames of <paramref name="videoPath"/> to analyse, in order.</summary>
    IAsyncEnumerable<VideoFrame> ReadFramesAsync(string videoPath, CancellationToken cancellationToken);
}
