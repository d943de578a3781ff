using Rekognition.Core.Inference;
using Rekognition.Core.Model;
using Rekognition.Core.Models;
using Rekognition.Imaging.Preprocessing;

namespace Rekognition.Onnx.Hosting;

/// <summary>
/// Gathers the requests to one model that arrive within <see cref="Runtime.OnnxRuntimeOptions.BatchWindow"/> of the first
/// into one batch: each request preprocesses its own image into its slot of the batch's tensor on its own thread (so they
/// do it in parallel, while the window is still open), and once the batch is closed (full, or its window passed) and every
/// image is written, it runs on one inference unit and each request gets its own row's answer. A request whose image fails
/// fails alone; a cancelled request stops waiting, the others are unaffected; a run that fails fails every request in it
/// with <see cref="InternalServerErrorException"/> and its unit is replaced. The window never runs past a request's
/// <see cref="Runtime.OnnxRuntimeOptions.QueueTimeout"/> counted from its arrival.
/// </summary>
internal sealed class RequestBatcher : IDisposable
{
    private readonly InferenceUnitPool _pool;
    private readonly TensorPreprocessor _preprocessor;
    private readonly ModelPackageMetadata _metadata;
    private readonly TimeProvider _time;
    private readonly long[] _imageShape;
    private readonly int _maxBatch;
    private readonly long _window;
    private readonly long _queueTimeout;
    private readonly Lock _gate = new();
    private readonly Stack<PendingBatch> _spare = new();
    private readonly List<PendingBatch> _all = new();
    private readonly ITimer _timer;
    private PendingBatch? _open;
    private int _largest;

    public RequestBatcher(InferenceUnitPool pool, TensorPreprocessor preprocessor, ModelPackageMetadata metadata, int maxBatch,
        TimeSpan window, TimeSpan queueTimeout, TimeProvider time)
    {
        _pool = pool;
        _preprocessor = preprocessor;
        _metadata = metadata;
        _time = time;
        _imageShape = InferenceUnit.InputShape(metadata.Input);
        _maxBatch = maxBatch;
        _window = Ticks(window);
        _queueTimeout = Ticks(queueTimeout);
        _timer = time.CreateTimer(static state => ((RequestBatcher)state!).OnWindowEnd(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>The most requests one batch takes.</summary>
    public int MaxBatch => _maxBatch;

    /// <summary>The most requests a batch has run with so far (tests and logs check that batches form).</summary>
    public int LargestBatch => Volatile.Read(ref _largest);

    /// <summary>
    /// Adds a request whose image is decoded: takes over <paramref name="image"/> (disposed here) and the request's count
    /// in the pool (given back when its batch is done). <paramref name="arrival"/>: when the request came in (a timestamp
    /// of the batcher's clock), from which its deadline is counted.
    /// </summary>
    public Task<IReadOnlyList<LabelPrediction>> Enqueue(PreparedImage image, long arrival, CancellationToken cancellationToken)
    {
        PendingBatch batch;
        int slot;
        var completion = new TaskCompletionSource<IReadOnlyList<LabelPrediction>>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            var now = _time.GetTimestamp();
            var deadline = arrival + _queueTimeout;
            var rearm = false;
            if (_open is { } open)
            {
                batch = open;
            }
            else
            {
                batch = Rent();
                batch.CloseAt = now + _window;
                _open = batch;
                rearm = true;
            }

            // A request that spent long decoding may have less left than the window: the batch closes by its deadline.
            if (deadline < batch.CloseAt)
            {
                batch.CloseAt = deadline;
                rearm = true;
            }

            slot = batch.Count++;
            batch.Members[slot].Completion = completion;
            if (batch.Count == _maxBatch || now >= batch.CloseAt)
            {
                Close(batch);
            }
            else if (rearm)
            {
                _timer.Change(Span(batch.CloseAt - now), Timeout.InfiniteTimeSpan);
            }
        }

        if (cancellationToken.CanBeCanceled)
        {
            // Only this request stops waiting; its slot still runs with the batch and its answer is dropped.
            batch.Members[slot].Cancellation = cancellationToken.UnsafeRegister(
                static (state, token) => ((TaskCompletionSource<IReadOnlyList<LabelPrediction>>)state!).TrySetCanceled(token), completion);
        }

        try
        {
            batch.Members[slot].Geometry = _preprocessor.Write(image, batch.Buffer.Slot(slot));
            batch.Members[slot].Ready = true;
        }
        catch (Exception ex)
        {
            completion.TrySetException(ex);
        }
        finally
        {
            image.Dispose();
        }

        bool run;
        lock (_gate)
        {
            batch.Written++;
            run = TakeForRun(batch);
        }

        if (run)
        {
            _ = RunAsync(batch);
        }

        return completion.Task;
    }

    /// <summary>Frees the batch buffers; call once the pool has drained (no batch is open or running then).</summary>
    public void Dispose()
    {
        _timer.Dispose();
        lock (_gate)
        {
            foreach (var batch in _all)
            {
                batch.Buffer.Dispose();
            }

            _all.Clear();
            _spare.Clear();
        }
    }

    private void OnWindowEnd()
    {
        PendingBatch? run = null;
        lock (_gate)
        {
            var batch = _open;
            if (batch is null)
            {
                return;
            }

            var now = _time.GetTimestamp();
            if (now < batch.CloseAt)
            {
                // A timer armed for an earlier batch, or one that fired early: wait for this batch's own end.
                _timer.Change(Span(batch.CloseAt - now), Timeout.InfiniteTimeSpan);
                return;
            }

            Close(batch);
            if (TakeForRun(batch))
            {
                run = batch;
            }
        }

        if (run is not null)
        {
            _ = RunAsync(run);
        }
    }

    private async Task RunAsync(PendingBatch batch)
    {
        try
        {
            if (!AnyoneWaits(batch))
            {
                return; // every image failed or every caller cancelled: nothing to run
            }

            if (!_pool.TryAcquire(out var unit))
            {
                unit = await _pool.AcquireAsync(CancellationToken.None).ConfigureAwait(false);
            }

            RunOn(unit, batch);
        }
        catch (Exception ex)
        {
            // The pool's own refusals (overloaded, stopping) reach every request still waiting.
            for (var i = 0; i < batch.Count; i++)
            {
                batch.Members[i].Completion.TrySetException(ex);
            }
        }
        finally
        {
            Finish(batch);
        }
    }

    private void RunOn(InferenceUnit unit, PendingBatch batch)
    {
        try
        {
            unit.Run(batch.Buffer, batch.Count);
            var largest = Volatile.Read(ref _largest);
            while (batch.Count > largest && Interlocked.CompareExchange(ref _largest, batch.Count, largest) != largest)
            {
                largest = Volatile.Read(ref _largest);
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A model that fails mid-run fails its whole batch; its session is not trusted again.
            _pool.Replace(unit);
            for (var i = 0; i < batch.Count; i++)
            {
                batch.Members[i].Completion.TrySetException(new InternalServerErrorException($"The model failed to run: {ex.Message}", ex));
            }

            return;
        }

        try
        {
            for (var i = 0; i < batch.Count; i++)
            {
                ref var member = ref batch.Members[i];
                if (!member.Ready || member.Completion.Task.IsCompleted)
                {
                    continue;
                }

                try
                {
                    member.Completion.TrySetResult(PredictionReader.Read(unit, _metadata, member.Geometry, i));
                }
                catch (Exception ex)
                {
                    member.Completion.TrySetException(ex);
                }
            }
        }
        finally
        {
            _pool.Release(unit);
        }
    }

    private static bool AnyoneWaits(PendingBatch batch)
    {
        for (var i = 0; i < batch.Count; i++)
        {
            if (batch.Members[i].Ready && !batch.Members[i].Completion.Task.IsCompleted)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Gives back each request's count in the pool and the batch for reuse.</summary>
    private void Finish(PendingBatch batch)
    {
        var count = batch.Count;
        for (var i = 0; i < count; i++)
        {
            batch.Members[i].Cancellation.Dispose();
        }

        lock (_gate)
        {
            batch.Reset();
            _spare.Push(batch);
        }

        for (var i = 0; i < count; i++)
        {
            _pool.Exit();
        }
    }

    private PendingBatch Rent()
    {
        if (_spare.TryPop(out var batch))
        {
            return batch;
        }

        batch = new PendingBatch(new BatchBuffer(_imageShape, _maxBatch));
        _all.Add(batch);
        return batch;
    }

    /// <summary>No one joins any more (called under the lock).</summary>
    private void Close(PendingBatch batch)
    {
        batch.Closed = true;
        if (ReferenceEquals(_open, batch))
        {
            _open = null;
        }
    }

    /// <summary>Whether the batch is ready to run and not yet taken (called under the lock; true once per batch).</summary>
    private static bool TakeForRun(PendingBatch batch)
    {
        if (!batch.Closed || batch.Dispatched || batch.Written != batch.Count)
        {
            return false;
        }

        batch.Dispatched = true;
        return true;
    }

    private long Ticks(TimeSpan span) => (long)(span.TotalSeconds * _time.TimestampFrequency);

    private TimeSpan Span(long ticks) => TimeSpan.FromSeconds((double)Math.Max(0, ticks) / _time.TimestampFrequency);
}
