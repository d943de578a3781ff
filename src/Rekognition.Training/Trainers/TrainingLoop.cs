using System.Diagnostics;
using System.Numerics.Tensors;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Rekognition.Core.Training;
using Rekognition.Training.Checkpoints;
using Rekognition.Training.Data;
using Rekognition.Training.Optimizers;
using Rekognition.Training.Runtime;

namespace Rekognition.Training.Trainers;

/// <summary>Settings of one run of <see cref="TrainingLoop"/>.</summary>
internal sealed record TrainingLoopOptions
{
    /// <summary>Epochs to run.</summary>
    public int Epochs { get; init; } = 10;

    /// <summary>Peak learning rate.</summary>
    public float LearningRate { get; init; } = 1e-3f;

    /// <summary>Warm-up length in epochs (0: constant rate, no schedule).</summary>
    public float WarmupEpochs { get; init; }

    /// <summary>Whether the rate follows the warm-up + cosine schedule; otherwise it stays at <see cref="LearningRate"/>.</summary>
    public bool Cosine { get; init; }

    /// <summary>Epochs the schedule spans when <see cref="TrainingLoop.Run"/> is called more than once (0: <see cref="Epochs"/>).</summary>
    public int ScheduleEpochs { get; init; }

    /// <summary>Global gradient-norm limit (0: no clipping).</summary>
    public float ClipNorm { get; init; }

    /// <summary>
    /// Batches whose gradients are averaged before each optimizer step (1: a step per batch): an effective batch of
    /// this many graph batches, for batches larger than memory allows. The last group of an epoch may be smaller.
    /// </summary>
    public int AccumulateBatches { get; init; } = 1;

    /// <summary>Whether samples are augmented.</summary>
    public bool Augment { get; init; }

    /// <summary>
    /// Whether the next batch is filled on another thread while the runtime runs the current one (the default);
    /// false fills it on the calling thread between steps, so the run uses no thread beyond the runtime's own
    /// (for timing against a peer given the same thread count).
    /// </summary>
    public bool Prefetch { get; init; } = true;

    /// <summary>Seed of the shuffling and augmentation.</summary>
    public int Seed { get; init; }

    /// <summary>
    /// Where to checkpoint (null: never). When the folder holds a checkpoint of the same job, the first
    /// <see cref="TrainingLoop.Run"/> restores it and runs only the epochs left.
    /// </summary>
    public CheckpointOptions? Checkpoint { get; init; }
}

/// <summary>
/// Runs epochs of a training session: shuffles, prepares the next batch on another thread while ONNX
/// Runtime runs the current one (the next epoch's first batch too, so no step waits at an epoch's start),
/// steps the optimizer in place on the bound parameter buffers, and reports progress.
/// </summary>
/// <remarks>
/// <para>
/// Every sample is used in every epoch although the graph's batch size is fixed: an epoch has
/// ceil(samples / batch) steps, and the free slots of its last batch are filled with the first samples of the
/// next epoch's shuffled order (which that epoch still uses in their place, so they are seen once more).
/// </para>
/// <para>
/// Epoch e's order and augmentation come from generators seeded by <see cref="TrainingLoopOptions.Seed"/> and e
/// alone, so a run restored from a checkpoint after epoch k draws exactly what an uninterrupted run draws from
/// epoch k + 1 on. With <see cref="TrainingLoopOptions.Checkpoint"/> set, the loop saves a checkpoint at the end
/// of epochs (atomically) and the first <see cref="Run"/> resumes from a checkpoint of the same job.
/// </para>
/// </remarks>
internal sealed class TrainingLoop
{
    private readonly TrainingGraphSession _session;
    private readonly Optimizer _optimizer;
    private readonly IBatchSource _samples;
    private readonly TrainingLoopOptions _options;
    private readonly float[][] _parameters;
    private readonly float[][] _gradients;
    private long _firstStep;
    private int _epochsDone;
    private bool _started;

    /// <summary>Creates the loop for a classifier: images from <paramref name="samples"/>, classes or label rows from <paramref name="labels"/>.</summary>
    public TrainingLoop(TrainingGraphSession session, Optimizer optimizer, ISampleSource samples, SampleLabels labels, TrainingLoopOptions options)
        : this(session, optimizer, new LabeledSampleBatches(samples, labels), options)
    {
    }

    /// <summary>Creates the loop over any batch source (its inputs must be the graph's data and loss inputs).</summary>
    public TrainingLoop(TrainingGraphSession session, Optimizer optimizer, IBatchSource samples, TrainingLoopOptions options)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(options);
        (_session, _optimizer, _samples, _options) = (session, optimizer, samples, options);
        _parameters = session.Graph.Parameters.Select((_, i) => session.Parameter(i)).ToArray();
        _gradients = session.Graph.Parameters.Select((_, i) => session.Gradient(i)).ToArray();
        _firstStep = optimizer.Steps;
        if (samples.Count < session.Graph.BatchSize)
        {
            throw new ArgumentException($"{samples.Count} samples are fewer than one batch of {session.Graph.BatchSize}.", nameof(samples));
        }

        if (options.Checkpoint is { EveryEpochs: < 1 })
        {
            throw new ArgumentException("Checkpoints must be taken every one or more epochs.", nameof(options));
        }
    }

    /// <summary>Where the loop logs its epochs, a resume, a failed checkpoint or a divergence (nowhere by default).</summary>
    public ILogger Logger { get; init; } = NullLogger.Instance;

    /// <summary>A moving average of the parameters, updated after every optimizer step and kept in checkpoints with them.</summary>
    public WeightAverage? Average { get; init; }

    /// <summary>
    /// Multi-scale training: the same network at other input sizes, each a session sharing this loop's parameters,
    /// gradients and running statistics (<see cref="TrainingGraphSession"/>'s sharing constructor) with the batch source
    /// that fills it at that size. Each batch runs at the main size or one of these, drawn uniformly from the seed, the
    /// epoch and the batch alone (same seed, same sequence; a resumed run draws what an uninterrupted one does).
    /// </summary>
    public IReadOnlyList<(TrainingGraphSession Session, IBatchSource Source)> OtherSizes { get; init; } = Array.Empty<(TrainingGraphSession, IBatchSource)>();

    /// <summary>Mean loss of each finished epoch (with those restored from a checkpoint).</summary>
    public List<float> EpochLosses { get; } = new();

    /// <summary>Wall time of each finished epoch (with those restored from a checkpoint).</summary>
    public List<TimeSpan> EpochTimes { get; } = new();

    /// <summary>Epochs finished so far, with those restored from a checkpoint.</summary>
    public int EpochsDone => _epochsDone;

    /// <summary>The epochs a checkpoint had already finished when this loop resumed from it (0: it started afresh).</summary>
    public int ResumedEpochs { get; private set; }

    /// <summary>Time the steps spent waiting for their batch to be filled (0 when the data loader keeps up with the runtime).</summary>
    public TimeSpan DataWait { get; private set; }

    /// <summary>Why the last checkpoint could not be written, or null when it was (or none was due).</summary>
    public Exception? CheckpointError { get; private set; }

    /// <summary>Steps per epoch: every sample once, the last batch topped up from the next epoch's order.</summary>
    public int StepsPerEpoch => (_samples.Count + _session.Graph.BatchSize - 1) / _session.Graph.BatchSize;

    /// <summary>
    /// Runs <see cref="TrainingLoopOptions.Epochs"/> epochs; <paramref name="afterEpoch"/> runs after each (evaluation, logging).
    /// Calling it again continues the same run (schedule, shuffling). The first call resumes from a checkpoint of the
    /// same job when <see cref="TrainingLoopOptions.Checkpoint"/> names one, and then runs only the epochs left.
    /// </summary>
    public void Run(IProgress<TrainingProgress>? progress, CancellationToken cancellationToken, Action<int>? afterEpoch = null)
    {
        var target = _epochsDone + _options.Epochs;
        if (!_started)
        {
            _started = true;
            if (TryResume())
            {
                TrainingLog.Resumed(Logger, ResumedEpochs);
            }

            target = _options.Epochs;
        }

        var batch = _session.Graph.BatchSize;
        var count = _samples.Count;
        var batchesPerEpoch = StepsPerEpoch;
        var plannedEpochs = _options.ScheduleEpochs > 0 ? _options.ScheduleEpochs : _options.Epochs;
        var accumulate = Math.Max(1, _options.AccumulateBatches);
        var updatesPerEpoch = (batchesPerEpoch + accumulate - 1) / accumulate;
        var totalSteps = (long)updatesPerEpoch * plannedEpochs;
        var schedule = _options.Cosine
            ? new WarmupCosineSchedule(_options.LearningRate, (long)(_options.WarmupEpochs * updatesPerEpoch), totalSteps)
            : null;
        var accumulated = accumulate > 1 ? _gradients.Select(g => new float[g.Length]).ToArray() : null;
        var inGroup = 0;
        var sizes = new[] { (Session: _session, Source: _samples) }.Concat(OtherSizes).ToArray();
        if (sizes.Any(s => s.Session.Graph.BatchSize != batch || s.Source.Count != count))
        {
            throw new InvalidOperationException("Every input size must run the same batch size over the same samples.");
        }

        var stagings = sizes.Select(s => new TrainingBatch(s.Session)).ToArray();
        var pendingSize = 0;
        var slots = new int[batch];
        var order = new int[count];
        var next = new int[count];
        ShuffledOrder(_epochsDone, order);
        ShuffledOrder(_epochsDone + 1, next);
        var random = new Random(StreamSeed(_epochsDone, 1));
        var total = Stopwatch.StartNew();
        var firstEpoch = _epochsDone;

        // Fills batch b of epoch `epoch` at input size k whose order is ord; positions past its end wrap into nxt, the next epoch's order.
        void Fill(int epoch, int b, int k, int[] ord, int[] nxt, Random draws)
        {
            sizes[k].Source.BeginEpoch(epoch);
            for (var s = 0; s < batch; s++)
            {
                var position = (b * batch) + s;
                slots[s] = position < count ? ord[position] : nxt[position - count];
            }

            sizes[k].Source.Fill(slots, stagings[k], _options.Augment, draws);
        }

        Task Prepare(int epoch, int b, int[] ord, int[] nxt, Random draws)
        {
            var k = pendingSize = SizeOf(epoch, b, sizes.Length);
            if (_options.Prefetch)
            {
                return Task.Run(() => Fill(epoch, b, k, ord, nxt, draws));
            }

            Fill(epoch, b, k, ord, nxt, draws);
            return Task.CompletedTask;
        }

        var pending = _epochsDone < target ? Prepare(_epochsDone, 0, order, next, random) : Task.CompletedTask;
        try
        {
            while (_epochsDone < target)
            {
                var epoch = _epochsDone;
                var clock = Stopwatch.StartNew();
                var following = new Random(StreamSeed(epoch + 1, 1));
                double lossSum = 0;
                for (var b = 0; b < batchesPerEpoch; b++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var waitStart = Stopwatch.GetTimestamp();
                    pending.Wait(cancellationToken);
                    DataWait += Stopwatch.GetElapsedTime(waitStart);
                    var session = sizes[pendingSize].Session;
                    stagings[pendingSize].CopyTo(session);

                    // The next batch fills while this one runs, across the end of the epoch too. The next epoch's first
                    // batch never wraps (there are at least as many samples as slots), so it does not read the array
                    // that is about to receive the order after it.
                    pending = b + 1 < batchesPerEpoch ? Prepare(epoch, b + 1, order, next, random)
                        : epoch + 1 < target ? Prepare(epoch + 1, 0, next, order, following)
                        : Task.CompletedTask;
                    var stepLoss = session.Run();
                    if (!float.IsFinite(stepLoss))
                    {
                        TrainingLog.Diverged(Logger, epoch + 1, b + 1, stepLoss);
                        throw new TrainingDivergedException(epoch + 1, b + 1, stepLoss);
                    }

                    lossSum += stepLoss;
                    if (accumulated is not null)
                    {
                        // Sum this batch's gradients; at the group's end (or the epoch's) hand their mean to the optimizer.
                        for (var i = 0; i < accumulated.Length; i++)
                        {
                            TensorPrimitives.Add(accumulated[i], _gradients[i], accumulated[i]);
                        }

                        if (++inGroup < accumulate && b + 1 < batchesPerEpoch)
                        {
                            continue;
                        }

                        for (var i = 0; i < accumulated.Length; i++)
                        {
                            TensorPrimitives.Multiply(accumulated[i], 1f / inGroup, _gradients[i]);
                            Array.Clear(accumulated[i]);
                        }

                        inGroup = 0;
                    }

                    if (_options.ClipNorm > 0)
                    {
                        GradientClipping.ClipGlobalNorm(_gradients, _options.ClipNorm);
                    }

                    var rate = schedule?.RateAt(Math.Min(_optimizer.Steps - _firstStep + 1, totalSteps)) ?? _options.LearningRate;
                    _optimizer.Step(_parameters, _gradients, rate);
                    Average?.Update(_parameters);
                }

                (order, next) = (next, order);
                ShuffledOrder(epoch + 2, next);
                random = following;
                EpochTimes.Add(clock.Elapsed);
                var loss = (float)(lossSum / batchesPerEpoch);
                EpochLosses.Add(loss);
                _epochsDone++;
                afterEpoch?.Invoke(_epochsDone);
                if (_options.Checkpoint is { } checkpoint && (_epochsDone % checkpoint.EveryEpochs == 0 || _epochsDone == target))
                {
                    TrySaveCheckpoint(checkpoint);
                    if (CheckpointError is { } error)
                    {
                        TrainingLog.CheckpointFailed(Logger, error, _epochsDone);
                    }
                }

                var epochSeconds = clock.Elapsed.TotalSeconds;
                var epochs = Math.Max(plannedEpochs, _epochsDone);
                TrainingLog.EpochFinished(Logger, _epochsDone, epochs, loss, epochSeconds);

                var elapsed = total.Elapsed;
                var run = _epochsDone - firstEpoch;
                var remaining = TimeSpan.FromTicks(elapsed.Ticks / run * (target - _epochsDone));
                progress?.Report(new TrainingProgress(_epochsDone, epochs, loss, elapsed, remaining));
            }
        }
        finally
        {
            // A batch being filled when the run stops still writes into the staging buffers: let it finish.
            try
            {
                pending.Wait(CancellationToken.None);
            }
            catch (AggregateException)
            {
            }
        }
    }

    /// <summary>Saves a checkpoint of the run as it stands to <paramref name="options"/>' folder (atomically).</summary>
    public void SaveCheckpoint(CheckpointOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        TrainingCheckpoint.Capture(options.Fingerprint, _session, _optimizer, _firstStep, _epochsDone, EpochLosses, EpochTimes.Select(t => t.TotalSeconds).ToList(), Average)
            .Save(options.FilePath);
    }

    /// <summary>
    /// Saves a checkpoint; a failure to write it (disk full, folder removed) does not stop the training, which only
    /// loses the ability to resume from this epoch: it is kept in <see cref="CheckpointError"/>.
    /// </summary>
    private void TrySaveCheckpoint(CheckpointOptions options)
    {
        try
        {
            SaveCheckpoint(options);
            CheckpointError = null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            CheckpointError = ex;
        }
    }

    /// <summary>
    /// Restores the checkpoint <see cref="TrainingLoopOptions.Checkpoint"/> names when it belongs to this job and fits
    /// this graph; false (and nothing changed) otherwise.
    /// </summary>
    private bool TryResume()
    {
        if (_options.Checkpoint is not { } options || TrainingCheckpoint.TryLoad(options.FilePath, options.Fingerprint) is not { } checkpoint)
        {
            return false;
        }

        try
        {
            checkpoint.Restore(_session, _optimizer, Average);
        }
        catch (InvalidDataException)
        {
            return false;
        }

        _firstStep = checkpoint.FirstStep;
        _epochsDone = checkpoint.EpochsDone;
        ResumedEpochs = checkpoint.EpochsDone;
        EpochLosses.AddRange(checkpoint.EpochLosses);
        EpochTimes.AddRange(checkpoint.EpochSeconds.Select(TimeSpan.FromSeconds));
        return true;
    }

    /// <summary>Epoch <paramref name="epoch"/>'s order of the samples.</summary>
    private void ShuffledOrder(int epoch, int[] order)
    {
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        new Random(StreamSeed(epoch, 0)).Shuffle(order);
    }

    /// <summary>The seed of generator <paramref name="stream"/> (0: shuffling, 1: augmentation) of epoch <paramref name="epoch"/>.</summary>
    private int StreamSeed(int epoch, int stream) => (int)(Mix(((ulong)(uint)_options.Seed << 32) ^ ((ulong)(uint)epoch << 2) ^ (uint)stream) & int.MaxValue);

    /// <summary>Which of <paramref name="sizes"/> input sizes batch <paramref name="b"/> of epoch <paramref name="epoch"/> runs at (0: the main one).</summary>
    private int SizeOf(int epoch, int b, int sizes) =>
        sizes == 1 ? 0 : (int)(Mix(Mix(((ulong)(uint)_options.Seed << 32) ^ ((ulong)(uint)epoch << 2) ^ 2u) ^ (uint)b) % (ulong)sizes);

    private static ulong Mix(ulong z)
    {
        // SplitMix64 finaliser: neighbouring epochs (and batches) get unrelated values.
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
