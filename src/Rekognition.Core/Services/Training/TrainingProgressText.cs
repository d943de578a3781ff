using System.Globalization;
using Rekognition.Core.Catalog;
using Rekognition.Core.Model;
using Rekognition.Core.Training;

namespace Rekognition.Core.Services.Training;

/// <summary>
/// Passes trainer progress to the caller and, at most once a second, into the version's StatusMessage, with the
/// time run so far in its details (what a resumed training bills from).
/// </summary>
internal sealed class TrainingProgressText(
    IVersionCatalog versions, VersionRecord version, IProgress<TrainingProgress>? progress, ProjectVersionDetails details, TrainingClock clock) : IProgress<TrainingProgress>
{
    /// <summary>A version's StatusMessage while it trains.</summary>
    public const string BeingTrained = "The model is being trained.";

    /// <summary>A new version's StatusMessage until a host with the <c>train</c> role claims its training.</summary>
    public const string Queued = "The model is being trained. Waiting for a host with the train role to start the training.";

    /// <summary>A resumed version's StatusMessage until its first progress report.</summary>
    public const string Resuming = "The model is being trained. Resuming from its last checkpoint after the process running the training ended.";

    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private long _lastWrite = long.MinValue;

    public void Report(TrainingProgress value)
    {
        progress?.Report(value);
        var now = Environment.TickCount64;
        if (now - Interlocked.Read(ref _lastWrite) < Interval.TotalMilliseconds && value.Epoch < value.Epochs)
        {
            return;
        }

        Interlocked.Exchange(ref _lastWrite, now);
        lock (details)
        {
            details.TrainingElapsedMs = clock.ElapsedMs;
            versions.UpdateProgress(version.Id, ProjectVersionStatus.TRAINING_IN_PROGRESS.Value, Message(value), details);
        }
    }

    /// <summary>"The model is being trained. Epoch 3 of 10, loss 0.25, about 12 s left."</summary>
    public static string Message(TrainingProgress value)
    {
        var left = value.Remaining is { } r && r > TimeSpan.Zero ? $", about {FormatDuration(r)} left" : "";
        return string.Create(CultureInfo.InvariantCulture, $"{BeingTrained} Epoch {value.Epoch} of {value.Epochs}, loss {value.Loss:0.####}{left}.");
    }

    private static string FormatDuration(TimeSpan span) =>
        span.TotalMinutes >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalMinutes} min {span.Seconds} s")
            : string.Create(CultureInfo.InvariantCulture, $"{Math.Max(1, (int)span.TotalSeconds)} s");
}
