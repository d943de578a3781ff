namespace Rekognition.Core.Tests.TestSupport;

/// <summary>A wall clock that stands still until a test moves it (timers and timestamps stay real), for figures that depend on elapsed time.</summary>
internal sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private long _ticks = start.UtcTicks;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
}
