using System.Collections.Concurrent;
using System.Diagnostics;
using Rekognition.Core.Diagnostics;

namespace Rekognition.Tests.Telemetry;

/// <summary>Records every span of the library's ActivitySource ("Rekognition.Core") that ends while it is alive.</summary>
internal sealed class SpanRecorder : IDisposable
{
    private readonly ActivityListener _listener;

    public SpanRecorder()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == RekognitionTelemetry.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = Spans.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public ConcurrentQueue<Activity> Spans { get; } = new();

    /// <summary>The one span named <paramref name="operation"/> whose <paramref name="tag"/> is <paramref name="value"/> (other tests' spans are ignored).</summary>
    public Activity Single(string operation, string tag, object value) =>
        Spans.Single(a => a.OperationName == operation && Equals(a.GetTagItem(tag), value));

    public void Dispose() => _listener.Dispose();
}
