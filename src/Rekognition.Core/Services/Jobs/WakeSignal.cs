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

    public void Dispose() => _wake.Dispose();
}
