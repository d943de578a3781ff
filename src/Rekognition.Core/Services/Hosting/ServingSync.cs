using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Rekognition.Core.Catalog;
using Rekognition.Core.Inference;
using Rekognition.Core.Model;
using Rekognition.Core.Services.Jobs;
using Rekognition.Core.Storage;

namespace Rekognition.Core.Services.Hosting;

/// <summary>
/// Keeps this host's loaded models in line with the catalog, polling it every <see cref="RekognitionHostOptions.PollInterval"/>
/// (and at once when this host started or stopped a model): a host with the <c>serve</c> role loads every STARTING or
/// RUNNING version (each within its MinInferenceUnits..MaxInferenceUnits), registers it under a lease it renews, moves a
/// STARTING one to RUNNING, and unloads what was stopped or deleted. Every host also moves to STOPPED the versions no
/// host serves any more (STOPPING ones whose last host unloaded them, RUNNING ones whose every host died).
/// </summary>
internal sealed class ServingSync : IAsyncDisposable, IDisposable
{
    private readonly RekognitionHostOptions _host;
    private readonly string _hostId;
    private readonly Store _store;
    private readonly IVersionCatalog _versions;
    private readonly IServingCatalog _serving;
    private readonly IBillingCatalog _billing;
    private readonly IModelAliasCatalog _aliases;
    private readonly ConcurrentDictionary<string, int> _billedUnits = new(StringComparer.Ordinal); // ARN -> units last recorded by this host
    private readonly RunningModels _running;
    private readonly StoreClock _clock;
    private readonly CallerMessages _messages;
    private readonly ILogger _logger;
    private readonly IModelRuntime? _runtime;
    private readonly IBucketStore _buckets;
    private static readonly TimeSpan DrainRecheck = TimeSpan.FromMilliseconds(20);
    private readonly WakeSignal _wake = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<string, long> _loaded = new(StringComparer.Ordinal); // ARN -> version id
    private readonly HashSet<string> _failed = new(StringComparer.Ordinal); // RUNNING elsewhere, not loadable here: not retried
    private readonly Lock _lock = new();
    private Task? _loop;
    private long _renewedAt;
    private long _passes;

    public ServingSync(RekognitionOptions options, HostIdentity identity, Store store, RunningModels running, StoreClock clock, CallerMessages messages, SourceRefResolver resolver, ILogger<ServingSync> logger, IModelRuntime? runtime = null)
    {
        _host = options.Host;
        _hostId = identity.Id;
        _store = store;
        _versions = store.Catalog.Versions;
        _serving = store.Catalog.Serving;
        _billing = store.Catalog.Billing;
        _aliases = store.Catalog.Aliases;
        _running = running;
        _clock = clock;
        _messages = messages;
        _logger = logger;
        _runtime = runtime;
        _buckets = resolver.BucketStore;
    }

    /// <summary>Whether this host loads running models.</summary>
    public bool Serves => _host.Has(HostRoles.Serve);

    /// <summary>This host's roles, as configured (for messages).</summary>
    public string Roles => _host.Roles;

    /// <summary>Starts polling; a second call does nothing.</summary>
    public void Start()
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_stopping.IsCancellationRequested, this);
            _loop ??= Task.Run(LoopAsync);
        }
    }

    /// <summary>Looks at the catalog now (a model was started or stopped through this host).</summary>
    public void Wake() => _wake.Wake();

    /// <summary>Completes once a whole pass that began after this call has ended (models started or stopped so far are in line).</summary>
    public async Task WhenSettledAsync()
    {
        var target = Interlocked.Read(ref _passes) + 2;
        while (_loop is { IsCompleted: false } && Interlocked.Read(ref _passes) < target)
        {
            Wake();
            await Task.Delay(5).ConfigureAwait(false);
        }
    }

    /// <summary>One pass: load and unload, register and renew, stop what no host serves. Public for start-up and tests.</summary>
    public async Task SyncOnceAsync(CancellationToken ct)
    {
        if (Serves)
        {
            var wanted = _serving.Wanted();
            var wantedArns = wanted.Select(w => w.Arn).ToHashSet(StringComparer.Ordinal);
            foreach (var (arn, id) in _loaded.ToArray())
            {
                if (!wantedArns.Contains(arn))
                {
                    await UnloadAsync(arn, id).ConfigureAwait(false);
                }
            }

            _failed.IntersectWith(wantedArns);
            foreach (var version in wanted)
            {
                if (!_loaded.ContainsKey(version.Arn) && !_failed.Contains(version.Arn))
                {
                    await LoadAsync(version, ct).ConfigureAwait(false);
                }
            }

            RecordUnitChanges();
            ReportDrains();
            var now = _clock.NowMs();
            if (now - _renewedAt >= _host.LeaseDuration.TotalMilliseconds / 3)
            {
                _serving.Renew(_hostId, LeaseUntilMs());
                _renewedAt = now;
            }
        }

        _versions.RecoverHosting(_clock.NowMs());
        _billing.Reconcile(_clock.NowMs());
    }

    // A promotion on another host moved an alias off a version this host serves, and waits before stopping it: once this
    // host has read the aliases again (so no new request goes to the version through an alias) and has no alias request
    // left on it, it says so. Requests still running are looked at again shortly, not at the next poll.
    private void ReportDrains()
    {
        var asked = _serving.DrainRequested(_hostId);
        if (asked.Count == 0)
        {
            return;
        }

        var waiting = !_aliases.Refresh();
        if (!waiting)
        {
            var loaded = _loaded.ToDictionary(l => l.Value, l => l.Key);
            foreach (var versionId in asked)
            {
                if (loaded.TryGetValue(versionId, out var arn) && _aliases.InFlightOn(arn) > 0)
                {
                    waiting = true;
                }
                else
                {
                    _serving.ReportDrained(versionId, _hostId);
                }
            }
        }

        if (waiting)
        {
            _ = Task.Delay(DrainRecheck, _stopping.Token).ContinueWith(_ => Wake(), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
        }
    }

    // A model that scaled between its MinInferenceUnits and MaxInferenceUnits is billed on its new units from now.
    private void RecordUnitChanges()
    {
        foreach (var (arn, id) in _loaded.ToArray())
        {
            if (_running.TryGet(arn, out var model) && model.Host.DesiredInferenceUnits is var units and > 0
                && _billedUnits.TryGetValue(arn, out var billed) && billed != units)
            {
                _billing.RecordRunning(id, units, _clock.NowMs());
                _billedUnits[arn] = units;
            }
        }
    }

    private long LeaseUntilMs() => _clock.NowMs() + (long)_host.LeaseDuration.TotalMilliseconds;

    private async Task LoadAsync(ServedVersion wanted, CancellationToken ct)
    {
        var version = _versions.FindByArn(wanted.Arn);
        if (version is null)
        {
            return;
        }

        try
        {
            var backend = _runtime ?? throw new InvalidOperationException(
                "No inference runtime is registered: reference Rekognition.Onnx and call services.AddRekognitionOnnxRuntime() (or pass an OnnxModelRuntime to the client).");
            var package = await _store.LoadModelPackageAsync(version.ArtifactKey ?? throw new InvalidOperationException("The model version has no artifacts."), ct).ConfigureAwait(false);
            var host = await backend.StartAsync(package, new InferenceUnits(wanted.MinUnits, wanted.MaxUnits), ct).ConfigureAwait(false);
            if (backend is Feedback.FeedbackRecordingRuntime recording)
            {
                host = recording.Record(host, version, package.Metadata, _store.Feedback, _buckets); // the version, this store's catalog and buckets
            }

            // Registered before RUNNING, so no host ever sees it RUNNING and served nowhere.
            _running.Add(new RunningModel(version.Arn, package, host));
            _loaded[version.Arn] = version.Id;
            _serving.Register(version.Id, _hostId, LeaseUntilMs());
            _versions.TryTransition(version.Id, [ProjectVersionStatus.STARTING.Value], ProjectVersionStatus.RUNNING.Value, "The model is running.");
            // Billed from RUNNING on; a host that takes over a running version keeps its open interval (same units).
            var units = host.DesiredInferenceUnits > 0 ? host.DesiredInferenceUnits : wanted.MinUnits;
            _billing.RecordRunning(version.Id, units, _clock.NowMs());
            _billedUnits[version.Arn] = units;
            if (_versions.FindByArn(version.Arn)?.Status is not ("RUNNING" or "STARTING"))
            {
                await UnloadAsync(version.Arn, version.Id).ConfigureAwait(false); // stopped while it was loading
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            HostingLog.LoadFailed(_logger, ex, _hostId, version.Arn);
            _failed.Add(version.Arn);
            _versions.TryTransition(version.Id, [ProjectVersionStatus.STARTING.Value], ProjectVersionStatus.FAILED.Value,
                $"The model could not be started: {_messages.HideMachinePaths(ex.Message)}");
        }
    }

    private async Task UnloadAsync(string arn, long versionId)
    {
        _loaded.TryRemove(arn, out _);
        _billedUnits.TryRemove(arn, out _);
        try
        {
            if (_running.Remove(arn) is { } model)
            {
                await model.Host.DisposeAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            _serving.Unregister(versionId, _hostId);
        }
    }

    private async Task LoopAsync()
    {
        var token = _stopping.Token;
        while (!token.IsCancellationRequested)
        {
            try
            {
                await SyncOnceAsync(token).ConfigureAwait(false);
                Interlocked.Increment(ref _passes);
                await _wake.WaitAsync(_host.PollInterval, token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                HostingLog.SyncFailed(_logger, ex, _hostId);
                await Task.Delay(_host.PollInterval, CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Stops polling, unloads this host's models and removes its registrations.</summary>
    public async ValueTask DisposeAsync()
    {
        Task loop;
        lock (_lock)
        {
            if (_stopping.IsCancellationRequested)
            {
                return;
            }

            _stopping.Cancel();
            loop = _loop ?? Task.CompletedTask;
        }

        await loop.ConfigureAwait(false);
        foreach (var (arn, id) in _loaded.ToArray())
        {
            try
            {
                await UnloadAsync(arn, id).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                HostingLog.UnregisterFailed(_logger, ex, _hostId, arn);
            }
        }

        _stopping.Dispose();
        _wake.Dispose();
    }

    /// <summary>As <see cref="DisposeAsync"/>, for containers disposed synchronously.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();
}
