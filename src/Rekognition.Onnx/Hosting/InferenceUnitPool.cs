using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Rekognition.Core.Inference;
using Rekognition.Core.Model;
using Rekognition.Onnx.Runtime;

namespace Rekognition.Onnx.Hosting;

/// <summary>
/// The inference units of one running model. Min units are loaded at start; when a request finds none free
/// the pool loads one more, up to Max, and gives one back each time <see cref="OnnxRuntimeOptions.ScaleDownAfterIdle"/>
/// passes without a request having to wait. A request waits for a free unit at most
/// <see cref="OnnxRuntimeOptions.QueueTimeout"/>, in a queue of <see cref="OnnxRuntimeOptions.QueueLengthPerUnit"/>
/// per unit, else gets <see cref="ProvisionedThroughputExceededException"/>. Disposing stops new requests
/// (<see cref="ResourceNotReadyException"/>), waits for those in flight, and frees every unit.
/// </summary>
internal sealed class InferenceUnitPool : IAsyncDisposable
{
    private readonly Func<InferenceUnit> _load;
    private readonly InferenceUnits _units;
    private readonly OnnxRuntimeOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Channel<InferenceUnit> _idle = Channel.CreateUnbounded<InferenceUnit>();
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _gate = new();
    private readonly List<Task> _growth = new();
    private ITimer? _scaleDownTimer;
    private int _desired;
    private int _inService;
    private int _live;
    private int _calls;
    private int _waiting;
    private int _stopped;
    private int _replaced;
    private long _lastWaitTimestamp;
    private Task? _disposal;

    private InferenceUnitPool(Func<InferenceUnit> load, InferenceUnits units, OnnxRuntimeOptions options, TimeProvider time, ILogger logger)
    {
        _load = load;
        _units = units;
        _options = options;
        _time = time;
        _logger = logger;
        _lastWaitTimestamp = time.GetTimestamp();
    }

    /// <summary>Units the pool is scaling towards.</summary>
    public int Desired => Volatile.Read(ref _desired);

    /// <summary>Units loaded and serving.</summary>
    public int InService => Volatile.Read(ref _inService);

    private int QueueCapacity => Math.Max(1, InService) * _options.QueueLengthPerUnit;

    /// <summary>Units created and not yet disposed (tests check that stopping leaks none).</summary>
    internal int Live => Volatile.Read(ref _live);

    /// <summary>Units freed after their model failed mid-run (each replaced by a fresh one).</summary>
    internal int Replaced => Volatile.Read(ref _replaced);

    /// <summary>Loads the Min units (in parallel) and starts the scale-down timer when the pool may grow.</summary>
    public static async Task<InferenceUnitPool> StartAsync(Func<InferenceUnit> load, InferenceUnits units, OnnxRuntimeOptions options,
        TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        var pool = new InferenceUnitPool(load, units, options, time, logger) { _desired = units.Min };
        var loading = Enumerable.Range(0, units.Min).Select(_ => Task.Run(pool.LoadUnit, cancellationToken)).ToArray();
        try
        {
            await Task.WhenAll(loading).ConfigureAwait(false);
        }
        catch
        {
            foreach (var loaded in loading.Where(l => l.IsCompletedSuccessfully))
            {
                pool.Free(loaded.Result);
            }

            throw;
        }

        foreach (var loaded in loading)
        {
            pool.AddToService(loaded.Result);
        }

        if (units.Max > units.Min)
        {
            var period = options.ScaleDownAfterIdle / 4;
            pool._scaleDownTimer = time.CreateTimer(static state => ((InferenceUnitPool)state!).ScaleDown(), pool, period, period);
        }

        return pool;
    }

    /// <summary>Counts a request in; <see cref="ResourceNotReadyException"/> once stopping has begun. Pair with <see cref="Exit"/>.</summary>
    public void Enter()
    {
        Interlocked.Increment(ref _calls);
        if (Volatile.Read(ref _stopped) != 0)
        {
            Exit();
            throw Stopping();
        }
    }

    /// <summary>Counts a request out; the last one out of a stopping pool lets the stop go on.</summary>
    public void Exit()
    {
        if (Interlocked.Decrement(ref _calls) == 0 && Volatile.Read(ref _stopped) != 0)
        {
            _drained.TrySetResult();
        }
    }

    /// <summary>Fails a request at once, before any work for it, when no unit is free and the queue is full.</summary>
    public void ThrowIfQueueFull()
    {
        var capacity = QueueCapacity;
        if (Volatile.Read(ref _waiting) >= capacity && !AnyFree)
        {
            NoteWaiting();
            throw Overloaded($"{capacity} requests are already waiting");
        }
    }

    /// <summary>A request found no unit free: asks for one more unit (up to Max) and holds off scaling down.</summary>
    public void NoteWaiting()
    {
        Volatile.Write(ref _lastWaitTimestamp, _time.GetTimestamp());
        Grow();
    }

    /// <summary>
    /// Called (outside the pool's lock) each time a unit joins the service, loaded at growth or in place of a replaced
    /// one, so a batcher holding queued requests can put it to work; units given back with <see cref="Release"/> do not call it.
    /// </summary>
    public Action? UnitAdded { get; set; }

    /// <summary>Whether a unit is free now.</summary>
    public bool AnyFree => _idle.Reader.TryPeek(out _);

    /// <summary>A free unit now, if there is one.</summary>
    public bool TryAcquire(out InferenceUnit unit) => _idle.Reader.TryRead(out unit!);

    /// <summary>Waits (briefly, in a bounded queue) for a free unit, asking for one more unit meanwhile.</summary>
    public async ValueTask<InferenceUnit> AcquireAsync(CancellationToken cancellationToken)
    {
        if (_idle.Reader.TryRead(out var unit))
        {
            return unit;
        }

        NoteWaiting();
        var capacity = QueueCapacity;
        try
        {
            if (Interlocked.Increment(ref _waiting) > capacity)
            {
                throw Overloaded($"{capacity} requests are already waiting");
            }

            using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping.Token);
            wait.CancelAfter(_options.QueueTimeout);
            return await _idle.Reader.ReadAsync(wait.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw _stopping.IsCancellationRequested ? Stopping() : Overloaded($"no unit came free within {_options.QueueTimeout.TotalMilliseconds:0} ms");
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
        }
    }

    /// <summary>Gives a unit back after a request.</summary>
    public void Release(InferenceUnit unit) => _idle.Writer.TryWrite(unit);

    /// <summary>
    /// Frees a unit whose model failed mid-run (its session's state is not trusted again) and loads a fresh one in its
    /// place in the background; requests meanwhile wait for the other units, or for the new one.
    /// </summary>
    public void Replace(InferenceUnit unit)
    {
        Free(unit);
        Interlocked.Increment(ref _replaced);
        Interlocked.Decrement(ref _inService);
        lock (_gate)
        {
            _desired--;
        }

        HostingLog.UnitReplaced(_logger);
        Grow();
    }

    /// <summary>Stops: refuses new requests, wakes the waiting ones, waits for those running, frees every unit.</summary>
    public ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            _disposal ??= StopAsync();
        }

        return new ValueTask(_disposal);
    }

    private async Task StopAsync()
    {
        Interlocked.Exchange(ref _stopped, 1);
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_scaleDownTimer is not null)
        {
            await _scaleDownTimer.DisposeAsync().ConfigureAwait(false);
        }

        if (Volatile.Read(ref _calls) == 0)
        {
            _drained.TrySetResult();
        }

        await _drained.Task.ConfigureAwait(false);
        Task[] growth;
        lock (_gate)
        {
            growth = _growth.ToArray();
        }

        await Task.WhenAll(growth).ConfigureAwait(false);
        while (_idle.Reader.TryRead(out var unit))
        {
            Free(unit);
        }

        lock (_gate)
        {
            _inService = 0;
            _desired = 0;
        }

        _stopping.Dispose();
    }

    private void Grow()
    {
        lock (_gate)
        {
            if (_stopped != 0 || _desired >= _units.Max)
            {
                return;
            }

            _desired++;
            Task growth = null!;
            growth = Task.Run(() =>
            {
                try
                {
                    var unit = LoadUnit();
                    var added = false;
                    lock (_gate)
                    {
                        if (_stopped == 0)
                        {
                            AddToService(unit);
                            HostingLog.ScaledUp(_logger, _inService);
                            added = true;
                        }
                    }

                    if (added)
                    {
                        UnitAdded?.Invoke();
                        return;
                    }

                    Free(unit);
                }
                catch (Exception ex)
                {
                    HostingLog.GrowthFailed(_logger, ex);
                    lock (_gate)
                    {
                        _desired--;
                    }
                }
                finally
                {
                    lock (_gate)
                    {
                        _growth.Remove(growth);
                    }
                }
            });
            _growth.Add(growth);
        }
    }

    private void ScaleDown()
    {
        if (_stopped != 0 || _time.GetElapsedTime(Volatile.Read(ref _lastWaitTimestamp)) < _options.ScaleDownAfterIdle)
        {
            return;
        }

        InferenceUnit? unit;
        lock (_gate)
        {
            if (_stopped != 0 || _inService <= _units.Min || _desired != _inService || !_idle.Reader.TryRead(out unit))
            {
                return;
            }

            _desired--; // desired below in service: scaling down, until the unit is freed
        }

        Free(unit);
        var inService = Interlocked.Decrement(ref _inService);
        HostingLog.ScaledDown(_logger, inService);

        // The next unit goes only after another idle period.
        Volatile.Write(ref _lastWaitTimestamp, _time.GetTimestamp());
    }

    private InferenceUnit LoadUnit()
    {
        var unit = _load();
        Interlocked.Increment(ref _live);
        return unit;
    }

    private void AddToService(InferenceUnit unit)
    {
        Interlocked.Increment(ref _inService);
        _idle.Writer.TryWrite(unit);
    }

    private void Free(InferenceUnit unit)
    {
        unit.Dispose();
        Interlocked.Decrement(ref _live);
    }

    /// <summary>The refusal for a request that finds every unit busy and no room to wait (or no unit free in time).</summary>
    public ProvisionedThroughputExceededException Overloaded(string why) =>
        new($"The model's {InService} inference unit(s) are busy and {why}. Send fewer concurrent requests, or start the model with a higher MaxInferenceUnits.");

    private static ResourceNotReadyException Stopping() =>
        new("The model is stopping. Start it again with StartProjectVersion.");
}
