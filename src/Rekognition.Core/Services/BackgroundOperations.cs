using Microsoft.Extensions.Logging;

namespace Rekognition.Core.Services;

/// <summary>
/// Runs the operations the service runs asynchronously (dataset creation, updates, distribution) on the
/// thread pool and keeps track of them, so that disposing the client cancels and awaits them instead of
/// leaving work half done behind a closed store.
/// </summary>
internal sealed class BackgroundOperations : IAsyncDisposable, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _lock = new();
    private readonly HashSet<Task> _running = new();
    private readonly ILogger _logger;

    public BackgroundOperations(ILogger<BackgroundOperations> logger) => _logger = logger;

    /// <summary>Starts <paramref name="work"/>; an exception it throws is logged (the work records failures itself).</summary>
    public void Start(string name, Func<CancellationToken, Task> work)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_stopping.IsCancellationRequested, this);
            Task task = null!;
            task = Task.Run(async () =>
            {
                try
                {
                    await work(_stopping.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
                {
                }
                catch (Exception ex)
                {
                    ServiceLog.BackgroundOperationFailed(_logger, ex, name);
                }
                finally
                {
                    lock (_lock)
                    {
                        _running.Remove(task);
                    }
                }
            });
            _running.Add(task);
        }
    }

    /// <summary>Completes when every operation started so far has ended.</summary>
    public Task WhenIdleAsync()
    {
        lock (_lock)
        {
            return Task.WhenAll(_running.ToArray());
        }
    }

    public async ValueTask DisposeAsync()
    {
        Task all;
        lock (_lock)
        {
            if (_stopping.IsCancellationRequested)
            {
                return;
            }

            _stopping.Cancel();
            all = Task.WhenAll(_running.ToArray());
        }

        await all.ConfigureAwait(false);
        _stopping.Dispose();
    }

    /// <summary>As <see cref="DisposeAsync"/>, for containers disposed synchronously.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();
}
