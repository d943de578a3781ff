namespace Rekognition.Core.Services;

/// <summary>The store's clock: catalog times are Unix milliseconds, the service's shapes carry UTC DateTimes.</summary>
internal sealed class StoreClock(TimeProvider time)
{
    public TimeProvider Time => time;

    public long NowMs() => time.GetUtcNow().ToUnixTimeMilliseconds();

    public DateTime UtcNow => time.GetUtcNow().UtcDateTime;

    public static DateTime FromMs(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime;
}
