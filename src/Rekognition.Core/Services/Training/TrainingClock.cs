using System.Diagnostics;

namespace Rekognition.Core.Services.Training;

/// <summary>Time a training has run: what earlier processes ran of it (as recorded) plus this run's.</summary>
internal sealed class TrainingClock(long earlierMs)
{
    private readonly Stopwatch _watch = Stopwatch.StartNew();

    public TimeSpan Elapsed => TimeSpan.FromMilliseconds(earlierMs) + _watch.Elapsed;

    public long ElapsedMs => (long)Elapsed.TotalMilliseconds;
}
