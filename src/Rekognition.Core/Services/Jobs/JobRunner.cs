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
    public void RunHere(long jobId, JobKind kind, string resourceArn, string name, Func<CancellationToken, Task> work)
    {
        var job = new JobRecord(jobId, kind, resourceArn, "{}", _hostId, LeaseUntilMs(), 1, _clock.NowMs());
        Run(jobId, name, work, _handlers.TryGetValue(kind, out var handler) ? message => handler.RecordFailure(job, message) : null);
    }

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

                await _queue.WaitForClaimableAsync(_kinds, _hostId, _host.PollInterval, _running.Count < _host.MaxConcurrentJobs, token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // A catalog that is briefly unreachable: try again at the next poll.
                JobLog.ClaimFailed(_logger, ex, _hostId);
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
        if (_running.TryGetValue(job.Id, out var own) && !own.Task.IsCompleted && !own.Cancel.IsCancellationRequested)
        {
            // This host's own lease lapsed (a renewal came late) and its claim took the job back: the claim renewed the
            // lease and the run it has goes on; a second run beside it would race the first.
            JobLog.ClaimedBackWhileRunning(_logger, _hostId, job.Id);
            return;
        }

        if (job.Attempts == 1)
        {
            JobLog.Claimed(_logger, _hostId, job.Id, job.Kind, job.ResourceArn);
        }
        else
        {
            JobLog.TookOver(_logger, _hostId, job.Id, job.Kind, job.ResourceArn, job.Attempts);
        }

        var handler = _handlers[job.Kind];
        Run(job.Id, $"{job.Kind} {job.ResourceArn}", ct => handler.RunAsync(job, ct), message => handler.RecordFailure(job, message));
    }

    // A run that throws something its handler did not expect has its failure recorded by the handler, so the resource
    // does not read "in progress" for ever; when even that fails, the job goes back to the queue to be tried again.
    private void Run(long jobId, string name, Func<CancellationToken, Task> work, Action<string>? recordFailure)
    {
        var cancel = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);

        var token = cancel.Token; // read now: the source is disposed when the run ends
        var start = new Task<Task>(() => RunToEndAsync(jobId, name, work, recordFailure, token));
        var task = start.Unwrap();
        var entry = (task, cancel);

        // The catalog may give an ended job's id to the next job (SQLite reuses the highest row id once it is deleted), so
        // the entry of a run that is ending can be replaced by a new run of the same id: each run removes only its own
        // entry and disposes only its own source. Registered before it starts, so a run that ends at once finds it.
        _running[jobId] = entry;
        task.ContinueWith(_ =>
        {
            _running.TryRemove(KeyValuePair.Create(jobId, entry));
            cancel.Dispose();
            _queue.Wake(); // a slot is free: claim what waits
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        start.Start(TaskScheduler.Default);
    }

    private async Task RunToEndAsync(long jobId, string name, Func<CancellationToken, Task> work, Action<string>? recordFailure, CancellationToken cancel)
    {
        try
        {
            await work(cancel).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            JobLog.Failed(_logger, ex, jobId, name);
            if (!TryRecordFailure(jobId, name, recordFailure))
            {
                TryRelease(jobId, name);
                return;
            }
        }

        try
        {
            // Done (its handler recorded the outcome), unless another host took it over meanwhile: then it is theirs.
            if (!_jobs.Complete(null, jobId, _hostId))
            {
                JobLog.EndedAfterTakeover(_logger, jobId, name, _hostId);
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            JobLog.NotRemoved(_logger, ex, jobId, name);
        }
    }

    private bool TryRecordFailure(long jobId, string name, Action<string>? recordFailure)
    {
        if (recordFailure is null)
        {
            return true;
        }

        try
        {
            recordFailure("The operation failed inside the service; none of its results were kept. Try it again.");
            return true;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            JobLog.FailureNotRecorded(_logger, ex, jobId, name);
            return false;
        }
    }

    private void TryRelease(long jobId, string name)
    {
        // Out of the running set first: once given back, this host may claim the job again, and must then run it.
        _running.TryRemove(jobId, out _);
        try
        {
            _jobs.Release(jobId, _hostId);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            JobLog.NotRemoved(_logger, ex, jobId, name); // its lease lapses and it is claimed again
        }
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
                        JobLog.Lost(_logger, _hostId, id);
                        TryCancel(entry.Cancel);
                    }
                }

                // A stop requested on any host (CancelTraining) is recorded in the catalog; the holder sees it here.
                foreach (var id in _jobs.CancelRequested(_hostId))
                {
                    if (_running.TryGetValue(id, out var entry) && !entry.Cancel.IsCancellationRequested)
                    {
                        JobLog.StopRequested(_logger, _hostId, id);
                        TryCancel(entry.Cancel);
                    }
                }
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException and not ObjectDisposedException)
            {
                JobLog.RenewFailed(_logger, ex, _hostId);
            }
        }
    }

    // A run that ended meanwhile has disposed its source: nothing left to stop.
    private static void TryCancel(CancellationTokenSource cancel)
    {
        try
        {
            cancel.Cancel();
        }
        catch (ObjectDisposedException)
        {
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
