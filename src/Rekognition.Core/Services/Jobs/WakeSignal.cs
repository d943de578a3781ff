namespace Rekognition.Core.Services.Jobs;

/// <summary>
/// Wakes a polling loop early: any number of <see cref="Wake"/> calls before the loop waits again count as one, and a
/// call after the loop stopped does nothing.
/// </summary>
internal sealed class WakeSignal : IDisposable
{
    private readonly SemaphoreSlim _wake = new(0, 1);

    public void Wake()
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already woken.
        }
        catch (ObjectDisposedException)
        {
            // The loop stopped.
        }
    }

    /// <summary>Waits until <see cref="Wake"/> or <paramref name="timeout"/>.</summary>
    public Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _wake.WaitAsync(timeout, cancellationToken);

    /// <summary>Waits until <see cref="Wake"/> or <paramref name="timeout"/> as <paramref name="time"/> counts it (a test's clock moves it).</summary>
    public async Task WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        if (time == TimeProvider.System)
        {
            await _wake.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
            return;
        }

        // A wait cancelled by the timer takes no wake, so a wake that comes after it is kept for the next wait.
        using var timer = new CancellationTokenSource(timeout, time);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
        try
        {
            await _wake.WaitAsync(either.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
        }
    }

    public void Dispose() => _wake.Dispose();
}
