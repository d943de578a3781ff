using System.Buffers;
using Rekognition.Core.Inference;
using Rekognition.Core.Model;
using Rekognition.Core.Models;
using Rekognition.Imaging.Preprocessing;

namespace Rekognition.Onnx.Hosting;

/// <summary>
/// Work-conserving dynamic batching for one model. A request that finds a unit free and nobody queued runs at once, on
/// its own thread, at batch 1: nothing waits for a window. Only while every unit is busy do requests queue (each
/// preprocessed into a pooled tensor while it waits); a unit that finishes a run takes its share of the queue as one
/// batch (at most <see cref="MaxBatch"/>, and no more than the queue divided by the units in service, so units that free
/// soon after get the rest instead of idling) and runs it before going back to the pool. Per-request results, errors
/// and cancellation stay independent: a bad image fails only its own request, a cancelled caller leaves the queue
/// (or, once taken, its answer is dropped), a request still queued at its deadline (<see cref="Runtime.OnnxRuntimeOptions.QueueTimeout"/>
/// from its arrival) fails as overloaded, and a run that fails fails every request in it with
/// <see cref="InternalServerErrorException"/> while its unit is replaced.
/// </summary>
internal sealed class RequestBatcher : IDisposable
{
    private readonly InferenceUnitPool _pool;
    private readonly TensorPreprocessor _preprocessor;
    private readonly ModelPackageMetadata _metadata;
    private readonly TimeProvider _time;
    private readonly long[] _imageShape;
    private readonly int _elements;
    private readonly int _maxBatch;
    private readonly long _queueTimeout;
    private readonly int _queueLengthPerUnit;
    private readonly Lock _gate = new();
    private readonly LinkedList<QueuedRequest> _queue = new();
    private readonly Stack<PendingBatch> _spare = new();
    private readonly List<PendingBatch> _all = new();
    private readonly ITimer _timer;
    private long _timerDue = long.MaxValue;
    private int _queued;
    private int _largest;

    public RequestBatcher(InferenceUnitPool pool, TensorPreprocessor preprocessor, ModelPackageMetadata metadata, int maxBatch,
        TimeSpan queueTimeout, int queueLengthPerUnit, TimeProvider time)
    {
        _pool = pool;
        _preprocessor = preprocessor;
        _metadata = metadata;
        _time = time;
        _imageShape = InferenceUnit.InputShape(metadata.Input);
        _elements = checked((int)(_imageShape[1] * _imageShape[2] * _imageShape[3]));
        _maxBatch = maxBatch;
        _queueTimeout = (long)(queueTimeout.TotalSeconds * time.TimestampFrequency);
        _queueLengthPerUnit = queueLengthPerUnit;
        _timer = time.CreateTimer(static state => ((RequestBatcher)state!).OnDeadline(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        pool.UnitAdded = OnUnitAdded;
    }

    /// <summary>The most requests one batch takes.</summary>
    public int MaxBatch => _maxBatch;

    /// <summary>The most requests a run has taken so far (tests and logs check that batches form).</summary>
    public int LargestBatch => Volatile.Read(ref _largest);

    /// <summary>Requests waiting for a unit now.</summary>
    internal int Queued => Volatile.Read(ref _queued);

    /// <summary>Called on the running thread just before each run, with the unit and the run's batch size (tests hold a unit busy with it).</summary>
    internal Action<InferenceUnit, int>? BeforeRun { get; set; }

    // A batch counts as one waiting request, as the options say: up to QueueLengthPerUnit full batches per unit.
    private int Capacity => Math.Max(1, _pool.InService) * _queueLengthPerUnit * _maxBatch;

    /// <summary>Fails a request at once, before any work for it, when the queue is full.</summary>
    public void ThrowIfQueueFull()
    {
        var capacity = Capacity;
        if (Volatile.Read(ref _queued) >= capacity && !_pool.AnyFree)
        {
            _pool.NoteWaiting();
            throw _pool.Overloaded($"{capacity} requests are already waiting");
        }
    }

    /// <summary>
    /// Runs or queues a request whose image is decoded: takes over <paramref name="image"/> (disposed here) and the
    /// request's count in the pool (given back when it is answered). <paramref name="arrival"/>: when the request came
    /// in (a timestamp of the batcher's clock), from which its deadline is counted.
    /// </summary>
    public Task<IReadOnlyList<LabelPrediction>> Enqueue(PreparedImage image, long arrival, CancellationToken cancellationToken)
    {
        InferenceUnit? unit = null;
        lock (_gate)
        {
            // Those already queued go first; otherwise a free unit serves this request now.
            if (_queue.Count == 0 && _pool.TryAcquire(out var free))
            {
                unit = free;
            }
        }

        return unit is not null ? RunAlone(unit, image) : Queue(image, arrival, cancellationToken);
    }

    /// <summary>Frees the batch buffers; call once the pool has drained (nothing is queued or running then).</summary>
    public void Dispose()
    {
        _pool.UnitAdded = null;
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

    /// <summary>One request on a unit it found free: preprocessed straight into the unit's input, run at batch 1 on this thread.</summary>
    private Task<IReadOnlyList<LabelPrediction>> RunAlone(InferenceUnit unit, PreparedImage image)
    {
        var keep = true;
        try
        {
            InputGeometry geometry;
            try
            {
                geometry = _preprocessor.Write(image, unit.Input);
            }
            finally
            {
                image.Dispose();
            }

            try
            {
                BeforeRun?.Invoke(unit, 1);
                unit.Run();
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                keep = false;
                _pool.Replace(unit);
                return Task.FromException<IReadOnlyList<LabelPrediction>>(Failed(ex));
            }

            NoteBatch(1);
            return Task.FromResult(PredictionReader.Read(unit, _metadata, geometry));
        }
        catch (Exception ex)
        {
            return Task.FromException<IReadOnlyList<LabelPrediction>>(ex);
        }
        finally
        {
            // The caller's answer is not held up by the queue: the unit serves it on a pool thread.
            if (keep && NextOrRelease(unit) is { } next)
            {
                _ = Task.Run(() => Drain(unit, next), CancellationToken.None);
            }

            _pool.Exit();
        }
    }

    /// <summary>Every unit is busy: the request waits, preprocessed, for the next unit to free.</summary>
    private Task<IReadOnlyList<LabelPrediction>> Queue(PreparedImage image, long arrival, CancellationToken cancellationToken)
    {
        var tensor = ArrayPool<float>.Shared.Rent(_elements);
        InputGeometry geometry;
        try
        {
            geometry = _preprocessor.Write(image, tensor.AsSpan(0, _elements));
        }
        catch (Exception ex)
        {
            ArrayPool<float>.Shared.Return(tensor);
            _pool.Exit();
            return Task.FromException<IReadOnlyList<LabelPrediction>>(ex);
        }
        finally
        {
            image.Dispose();
        }

        var request = new QueuedRequest(tensor, geometry, arrival + _queueTimeout);
        if (cancellationToken.CanBeCanceled)
        {
            // Registered before it is queued: a caller cancelled already is never queued.
            request.Cancellation = cancellationToken.UnsafeRegister(static (state, token) =>
            {
                var (batcher, cancelled) = ((RequestBatcher, QueuedRequest))state!;
                cancelled.Completion.TrySetCanceled(token);
                batcher.Leave(cancelled);
            }, (this, request));
        }

        InferenceUnit? unit = null;
        PendingBatch? batch = null;
        Exception? refused = null;
        lock (_gate)
        {
            if (request.Completion.Task.IsCompleted)
            {
                refused = new OperationCanceledException(cancellationToken);
            }
            else if (_queue.Count == 0 && _pool.TryAcquire(out var free))
            {
                // A unit came free while the image was prepared.
                _queue.AddLast(request.Node);
                unit = free;
                batch = Take();
            }
            else if (_queue.Count >= Capacity)
            {
                refused = _pool.Overloaded($"{Capacity} requests are already waiting");
            }
            else
            {
                _queue.AddLast(request.Node);
                Volatile.Write(ref _queued, _queue.Count);
                Arm(request.Deadline);
            }
        }

        if (refused is not null)
        {
            Release(request);
            return refused is OperationCanceledException ? request.Completion.Task : Task.FromException<IReadOnlyList<LabelPrediction>>(refused);
        }

        if (unit is not null)
        {
            _ = Task.Run(() => Drain(unit, batch!), CancellationToken.None);
        }
        else
        {
            _pool.NoteWaiting();
        }

        return request.Completion.Task;
    }

    /// <summary>Runs batches on a unit while requests are queued, then gives it back.</summary>
    private void Drain(InferenceUnit unit, PendingBatch batch)
    {
        for (PendingBatch? next = batch; next is not null;)
        {
            var done = next;
            next = RunBatch(unit, done) ? NextOrRelease(unit) : null;
            Finish(done);
        }
    }

    /// <summary>Runs one batch and answers each request in it; false when the model failed and the unit was replaced.</summary>
    private bool RunBatch(InferenceUnit unit, PendingBatch batch)
    {
        var count = batch.Count;
        for (var i = 0; i < count; i++)
        {
            batch.Members[i].Tensor.AsSpan(0, _elements).CopyTo(batch.Buffer.Slot(i));
            ArrayPool<float>.Shared.Return(batch.Members[i].Tensor);
        }

        try
        {
            BeforeRun?.Invoke(unit, count);
            unit.Run(batch.Buffer, count);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A model that fails mid-run fails its whole batch; its session is not trusted again.
            _pool.Replace(unit);
            for (var i = 0; i < count; i++)
            {
                batch.Members[i].Completion.TrySetException(Failed(ex));
            }

            return false;
        }

        NoteBatch(count);
        for (var i = 0; i < count; i++)
        {
            var member = batch.Members[i];
            if (member.Completion.Task.IsCompleted)
            {
                continue; // cancelled after it was taken: its answer is dropped
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

        return true;
    }

    /// <summary>The next batch for a unit that finished a run, or null after giving the unit back (nothing queued).</summary>
    private PendingBatch? NextOrRelease(InferenceUnit unit)
    {
        lock (_gate)
        {
            if (_queue.Count > 0)
            {
                return Take();
            }

            // Under the lock, so a request queueing now either sees this unit free or is taken by it.
            _pool.Release(unit);
            return null;
        }
    }

    /// <summary>
    /// Takes the oldest queued requests for one unit (called under the lock with the queue not empty): up to MaxBatch,
    /// and no more than an even share over the units in service, so the busy ones get the rest when they free.
    /// </summary>
    private PendingBatch Take()
    {
        var units = Math.Max(1, _pool.InService);
        var take = Math.Min(_maxBatch, (_queue.Count + units - 1) / units);
        var batch = Rent();
        for (var i = 0; i < take; i++)
        {
            var first = _queue.First!;
            _queue.RemoveFirst();
            batch.Members[batch.Count++] = first.Value;
        }

        Volatile.Write(ref _queued, _queue.Count);
        return batch;
    }

    /// <summary>Gives back the batch for reuse, then each request's count in the pool (last, so a stopping pool finds the unit back).</summary>
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

    /// <summary>A cancelled request leaves the queue, if no unit has taken it yet.</summary>
    private void Leave(QueuedRequest request)
    {
        lock (_gate)
        {
            if (request.Node.List is null)
            {
                return;
            }

            _queue.Remove(request.Node);
            Volatile.Write(ref _queued, _queue.Count);
        }

        Release(request);
    }

    /// <summary>Frees what a request that never ran holds: its tensor, its registration, its count in the pool.</summary>
    private void Release(QueuedRequest request)
    {
        ArrayPool<float>.Shared.Return(request.Tensor);
        request.Cancellation.Dispose();
        _pool.Exit();
    }

    /// <summary>Fails the requests whose deadline passed in the queue; puts a unit that is somehow free to work.</summary>
    private void OnDeadline()
    {
        List<QueuedRequest>? expired = null;
        InferenceUnit? unit = null;
        PendingBatch? batch = null;
        lock (_gate)
        {
            _timerDue = long.MaxValue;
            var now = _time.GetTimestamp();
            while (_queue.First is { } first && first.Value.Deadline <= now)
            {
                _queue.RemoveFirst();
                (expired ??= new List<QueuedRequest>()).Add(first.Value);
            }

            Volatile.Write(ref _queued, _queue.Count);
            if (_queue.First is { } head)
            {
                if (_pool.TryAcquire(out var free))
                {
                    unit = free;
                    batch = Take();
                }
                else
                {
                    Arm(head.Value.Deadline);
                }
            }
        }

        foreach (var request in expired ?? [])
        {
            request.Completion.TrySetException(_pool.Overloaded($"no unit came free within {TimeSpan.FromSeconds((double)_queueTimeout / _time.TimestampFrequency).TotalMilliseconds:0} ms"));
            Release(request);
        }

        if (unit is not null)
        {
            _ = Task.Run(() => Drain(unit, batch!), CancellationToken.None);
        }
    }

    /// <summary>A unit joined the service (growth, or in place of a failed one): it takes queued work at once.</summary>
    private void OnUnitAdded()
    {
        InferenceUnit? unit = null;
        PendingBatch? batch = null;
        lock (_gate)
        {
            if (_queue.Count > 0 && _pool.TryAcquire(out var free))
            {
                unit = free;
                batch = Take();
            }
        }

        if (unit is not null)
        {
            _ = Task.Run(() => Drain(unit, batch!), CancellationToken.None);
        }
    }

    /// <summary>Makes the deadline timer fire by <paramref name="due"/> (called under the lock).</summary>
    private void Arm(long due)
    {
        if (due >= _timerDue)
        {
            return;
        }

        _timerDue = due;
        var ticks = Math.Max(0, due - _time.GetTimestamp());
        _timer.Change(TimeSpan.FromSeconds((double)ticks / _time.TimestampFrequency), Timeout.InfiniteTimeSpan);
    }

    private void NoteBatch(int count)
    {
        var largest = Volatile.Read(ref _largest);
        while (count > largest && Interlocked.CompareExchange(ref _largest, count, largest) != largest)
        {
            largest = Volatile.Read(ref _largest);
        }
    }

    private static InternalServerErrorException Failed(Exception ex) => new InternalServerErrorException($"The model failed to run: {ex.Message}", ex);

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
}
