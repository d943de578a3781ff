using Rekognition.Core.Model;

namespace Rekognition.Core.Video;

/// <summary>A label DetectCustomLabels returned for one frame, with the frame's place in the video (the guide's <c>Timestamp</c>, in milliseconds).</summary>
/// <param name="Timestamp">Milliseconds from the video's start: frame index / fps × 1000.</param>
/// <param name="Name">The label.</param>
/// <param name="Confidence">Its confidence, 0 to 100.</param>
/// <param name="Geometry">Its box, for object-location models.</param>
public sealed record VideoLabel(long Timestamp, string Name, float Confidence, Geometry? Geometry);

/// <summary>A run of analysed frames in which a label was seen in each.</summary>
/// <param name="Name">The label.</param>
/// <param name="StartTimestamp">The first frame's timestamp (milliseconds).</param>
/// <param name="EndTimestamp">The last frame's timestamp (milliseconds).</param>
/// <param name="MaxConfidence">The highest confidence in the run.</param>
public sealed record LabelSegment(string Name, long StartTimestamp, long EndTimestamp, float MaxConfidence);

/// <summary>The labels of a video: every frame's labels, and the runs of frames each label was seen in.</summary>
public sealed class VideoLabelTimeline
{
    /// <summary>Frames analysed.</summary>
    public int FramesAnalysed { get; init; }

    /// <summary>Every label of every analysed frame, in frame order (what the guide's example writes to <c>{video}.json</c>).</summary>
    public List<VideoLabel> Labels { get; init; } = new();

    /// <summary>Runs of consecutive analysed frames that each had the label, by start time.</summary>
    public List<LabelSegment> Segments { get; init; } = new();

    /// <summary>Builds the runs from per-frame labels; <paramref name="frameTimestamps"/> are the analysed frames' timestamps in order.</summary>
    internal static List<LabelSegment> BuildSegments(IReadOnlyList<long> frameTimestamps, IReadOnlyList<VideoLabel> labels)
    {
        var byFrame = labels.GroupBy(l => l.Timestamp).ToDictionary(g => g.Key, g => g.GroupBy(l => l.Name).ToDictionary(n => n.Key, n => n.Max(l => l.Confidence)));
        var open = new Dictionary<string, (long Start, long End, float Max)>(StringComparer.Ordinal);
        var segments = new List<LabelSegment>();
        foreach (var timestamp in frameTimestamps)
        {
            var seen = byFrame.GetValueOrDefault(timestamp) ?? new Dictionary<string, float>();
            foreach (var name in open.Keys.Where(n => !seen.ContainsKey(n)).ToList())
            {
                var run = open[name];
                segments.Add(new LabelSegment(name, run.Start, run.End, run.Max));
                open.Remove(name);
            }

            foreach (var (name, confidence) in seen)
            {
                open[name] = open.TryGetValue(name, out var run) ? (run.Start, timestamp, Math.Max(run.Max, confidence)) : (timestamp, timestamp, confidence);
            }
        }

        segments.AddRange(open.Select(o => new LabelSegment(o.Key, o.Value.Start, o.Value.End, o.Value.Max)));
        return segments.OrderBy(s => s.StartTimestamp).ThenBy(s => s.Name, StringComparer.Ordinal).ToList();
    }
}
