using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Rekognition.Core.Catalog;

namespace Rekognition.Core.Services.Jobs;

/// <summary>
/// This host's side of the durable jobs: claims the jobs its roles run (at once when this host queued one, else at
/// every <see cref="RekognitionHostOptions.PollInterval"/>), runs each through its <see cref="IJobHandler"/>, renews the leases of
/// the jobs it holds every third of <see cref="RekognitionHostOptions.LeaseDuration"/>, cancels a job whose lease another host
/// took over, and deletes each job once its handler has recorded the outcome. Disposing it stops and awaits its jobs.
/// </summary>
internal sealed class JobRunner : IAsyncDisposable, IDisposable
{
    private readonly RekognitionHostOptions _host;
    private readonly string _hostId;
    private readonly IJobCatalog _jobs;
    private readonly JobQueue _queue;
    private readonly StoreClock _clock;
    private readonly ILogger _logger;
    private readonly Dictionary<JobKind, IJobHandler> _handlers = new();
    private readonly JobKind[] _kinds;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<long, (Task Task, CancellationTokenSource Cancel)> _running = new();
    private readonly Lock _lock = new();
    private Task? _claiming;
    private Task? _renewing;
    private int _dispatching; // a claim under way: claimed in the catalog, maybe not yet in _running

    public JobRunner(RekognitionOptions options, HostIdentity identity, ICatalog catalog, JobQueue queue, StoreClock clock, IEnumerable<IJobHandler> handlers, ILogger<JobRunner> logger)
    {
        _host = options.Host;
        _hostId = identity.Id;
        _jobs = catalog.Jobs;
        _queue = queue;
        _clock = clock;
        _logger = logger;
        foreach (var handler in handlers)
        {
            foreach (var kind in handler.Kinds)
            {
                _handlers[kind] = handler;
            }
        }

        // CopyVersion jobs are run by the host that queued them (RunHere); a host taking one over only records the failure.
        _kinds = JobKinds.For(_host.RoleSet).Where(_handlers.ContainsKey).ToArray();
    }

    /// <summary>This host's id in the catalog.</summary>
    public string HostId => _hostId;

    /// <summary>The lease a claim or renewal gives, from now.</summary>
    public long LeaseUntilMs() => _clock.NowMs() + (long)_host.LeaseDuration.TotalMilliseconds;

    /// <summary>Starts claiming (hosts with the <c>import</c> or <c>train</c> role) and renewing; a second call does nothing.</summary>
    public void Start()
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_stopping.IsCancellationRequested, this);
            if (_renewing is not null)
            {
                return;
            }

            _renewing = Task.Run(RenewLoopAsync);
            if (_kinds.Length > 0)
            {
                _claiming = Task.Run(ClaimLoopAsync);
            }
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> for a job this host queued already holding (<see cref="IJobCatalog.Enqueue"/> with
    /// this host as owner): renewed, cancelled if lost, deleted when done, like a claimed one.
    /// </summary>
    public void RunHere(long jobId, string name, Func<CancellationToken, Task> work) => Run(jobId, name, work);

    /// <summary>
    /// Completes when this host runs no job and none it could claim is waiting (jobs other live hosts hold are theirs).
    /// </summary>
    public async Task WhenIdleAsync()
    {
        while (true)
        {
            // In this order: a job claimable now, then a claim under way, then the jobs running; a claim that ends
            // between two looks is seen by the next one.
            var claimable = _claiming is not null && !_stopping.IsCancellationRequested && _jobs.AnyClaimable(_kinds, _clock.NowMs());
            var dispatching = Volatile.Read(ref _dispatching) > 0;
            var running = _running.Values.Select(r => r.Task).ToArray();
            if (running.Length > 0)
            {
                await Task.WhenAll(running).ConfigureAwait(false);
                continue;
            }

            if (!claimable && !dispatching)
            {
                return;
            }

            _queue.Wake();
            await Task.Delay(10).ConfigureAwait(false);
        }
    }

    private async Task ClaimLoopAsync()
    {
        var token = _stopping.Token;
        while (!token.IsCancellationRequested)
        {
            try
            {
                while (!token.IsCancellationRequested && ClaimAndDispatch())
                {
                }

                await _queue.WaitAsync(_host.PollInterval, token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // A catalog that is briefly unreachable: try again at the next poll.
                _logger.LogWarning(ex, "Host {Host} could not claim jobs", _hostId);
                await Task.Delay(_host.PollInterval, CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    private bool ClaimAndDispatch()
    {
        if (_running.Count >= _host.MaxConcurrentJobs)
        {
            return false; // full: the end of a running job wakes the claim loop
        }

        Interlocked.Increment(ref _dispatching);
        try
        {
            if (_jobs.TryClaim(_kinds, _hostId, _clock.NowMs(), LeaseUntilMs()) is not { } job)
            {
                return false;
            }

            Dispatch(job);
            return true;
        }
        finally
        {
            Interlocked.Decrement(ref _dispatching);
        }
    }

    private void Dispatch(JobRecord job)
    {
        if (job.Attempts == 1)
        {
            JobLog.Claimed(_logger, _hostId, job.Id, job.Kind, job.ResourceArn);
        }
        else
        {
            JobLog.TookOver(_logger, _hostId, job.Id, job.Kind, job.ResourceArn, job.Attempts);
        }

        var handler = _handlers[job.Kind];
        Run(job.Id, $"{job.Kind} {job.ResourceArn}", ct => handler.RunAsync(job, ct));
    }

    private void Run(long jobId, string name, Func<CancellationToken, Task> work)
    {
        var cancel = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        var task = Task.Run(async () =>
        {
            try
            {
                await work(cancel.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancel.IsCancellationRequested)
            {
            }
            catch (Exception ex)
            {
                _logger.LogError(ex, "Job {Job} ({Name}) failed", jobId, name);
            }

            try
            {
                // Done (its handler recorded the outcome), unless another host took it over meanwhile: then it is theirs.
                if (!_jobs.Complete(null, jobId, _hostId))
                {
                    _logger.LogWarning("Job {Job} ({Name}) ended on host {Host} after another host took it over", jobId, name, _hostId);
                }
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                _logger.LogError(ex, "Job {Job} ({Name}) ended but could not be removed; its lease will lapse and another host will find it finished", jobId, name);
            }
        });
        _running[jobId] = (task, cancel);
        task.ContinueWith(_ =>
        {
            if (_running.TryRemove(jobId, out var entry))
            {
                entry.Cancel.Dispose();
            }

            _queue.Wake(); // a slot is free: claim what waits
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private async Task RenewLoopAsync()
    {
        var token = _stopping.Token;
        var every = _host.LeaseDuration / 3;
        while (!token.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(every, token).ConfigureAwait(false);
                var held = _jobs.Renew(_hostId, LeaseUntilMs()).ToHashSet();
                foreach (var (id, entry) in _running)
                {
                    if (!held.Contains(id))
                    {
                        _logger.LogWarning("Host {Host} lost job {Job} to another host (its lease lapsed); stopping it here", _hostId, id);
                        entry.Cancel.Cancel();
                    }
                }

                // A stop requested on any host (CancelTraining) is recorded in the catalog; the holder sees it here.
                foreach (var id in _jobs.CancelRequested(_hostId))
                {
                    if (_running.TryGetValue(id, out var entry) && !entry.Cancel.IsCancellationRequested)
                    {
                        JobLog.StopRequested(_logger, _hostId, id);
                        entry.Cancel.Cancel();
                    }
                }
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException and not ObjectDisposedException)
            {
                _logger.LogWarning(ex, "Host {Host} could not renew its job leases", _hostId);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        Task[] all;
        lock (_lock)
        {
            if (_stopping.IsCancellationRequested)
            {
                return;
            }

            _stopping.Cancel();
            all = [.. _running.Values.Select(r => r.Task), _claiming ?? Task.CompletedTask, _renewing ?? Task.CompletedTask];
        }

        await Task.WhenAll(all).ConfigureAwait(false);
        _stopping.Dispose();
    }

    /// <summary>As <see cref="DisposeAsync"/>, for containers disposed synchronously.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();
}
