using System.Collections.Concurrent;

namespace Rekognition.Core.Services.Training;

/// <summary>The trainings this process runs, by version ARN, so they can be cancelled.</summary>
internal sealed class Trainings
{
    private readonly ConcurrentDictionary<string, CancellationTokenSource> _running = new(StringComparer.Ordinal);

    public CancellationTokenSource Add(string arn)
    {
        var source = new CancellationTokenSource();
        _running[arn] = source;
        return source;
    }

    public void Remove(string arn)
    {
        if (_running.TryRemove(arn, out var source))
        {
            source.Dispose();
        }
    }

    /// <summary>Asks a training to stop; false when this process runs no training of that version.</summary>
    public bool Cancel(string arn)
    {
        if (!_running.TryGetValue(arn, out var source))
        {
            return false;
        }

        try
        {
            source.Cancel();
        }
        catch (ObjectDisposedException)
        {
            return false;
        }

        return true;
    }

    public void CancelAll()
    {
        foreach (var arn in _running.Keys)
        {
            Cancel(arn);
        }
    }
}
