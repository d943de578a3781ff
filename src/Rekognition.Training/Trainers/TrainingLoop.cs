using System.Diagnostics;
using Rekognition.Core.Training;
using Rekognition.Training.Data;
using Rekognition.Training.Optimizers;
using Rekognition.Training.Runtime;

namespace Rekognition.Training.Trainers;

/// <summary>Settings of one run of <see cref="TrainingLoop"/>.</summary>
public sealed record TrainingLoopOptions
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

    /// <summary>Whether samples are augmented.</summary>
    public bool Augment { get; init; }

    /// <summary>Seed of the shuffling and augmentation.</summary>
    public int Seed { get; init; }
}

/// <summary>
/// Runs epochs of a training session: shuffles, prepares the next batch on another thread while ONNX
/// Runtime runs the current one, steps the optimizer in place on the bound parameter buffers, and reports
/// progress. The last partial batch of an epoch is skipped (the graph's batch size is fixed); shuffling
/// changes which samples that is.
/// </summary>
public sealed class TrainingLoop
{
    private readonly TrainingGraphSession _session;
    private readonly Optimizer _optimizer;
    private readonly IBatchSource _samples;
    private readonly TrainingLoopOptions _options;
    private readonly float[][] _parameters;
    private readonly float[][] _gradients;
    private readonly Random _random;
    private readonly long _firstStep;
    private int _epochsDone;

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
        (_session, _optimizer, _samples, _options) = (session, optimizer, samples, options);
        _parameters = session.Graph.Parameters.Select((_, i) => session.Parameter(i)).ToArray();
        _gradients = session.Graph.Parameters.Select((_, i) => session.Gradient(i)).ToArray();
        _random = new Random(options.Seed);
        _firstStep = optimizer.Steps;
        if (samples.Count < session.Graph.BatchSize)
        {
            throw new ArgumentException($"{samples.Count} samples are fewer than one batch of {session.Graph.BatchSize}.", nameof(samples));
        }
    }

    /// <summary>Mean loss of each finished epoch.</summary>
    public List<float> EpochLosses { get; } = new();

    /// <summary>Wall time of each finished epoch.</summary>
    public List<TimeSpan> EpochTimes { get; } = new();

    /// <summary>
    /// Runs <see cref="TrainingLoopOptions.Epochs"/> epochs; <paramref name="afterEpoch"/> runs after each (evaluation, logging).
    /// Calling it again continues the same run (schedule, shuffling).
    /// </summary>
    public void Run(IProgress<TrainingProgress>? progress, CancellationToken cancellationToken, Action<int>? afterEpoch = null)
    {
        var batch = _session.Graph.BatchSize;
        var batchesPerEpoch = _samples.Count / batch;
        var plannedEpochs = _options.ScheduleEpochs > 0 ? _options.ScheduleEpochs : _options.Epochs;
        var totalSteps = (long)batchesPerEpoch * plannedEpochs;
        var schedule = _options.Cosine
            ? new WarmupCosineSchedule(_options.LearningRate, (long)(_options.WarmupEpochs * batchesPerEpoch), totalSteps)
            : null;
        var staging = new TrainingBatch(_session);
        var random = _random;
        var order = Enumerable.Range(0, _samples.Count).ToArray();
        var total = Stopwatch.StartNew();

        for (var epoch = 0; epoch < _options.Epochs; epoch++)
        {
            var clock = Stopwatch.StartNew();
            random.Shuffle(order);
            double lossSum = 0;
            Task Prepare(int b) => Task.Run(() => _samples.Fill(order.AsSpan(b * batch, batch), staging, _options.Augment, random));
            var pending = Prepare(0);
            for (var b = 0; b < batchesPerEpoch; b++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                pending.Wait(cancellationToken);
                staging.CopyTo(_session);

                pending = b + 1 < batchesPerEpoch ? Prepare(b + 1) : Task.CompletedTask;
                lossSum += _session.Run();
                if (_options.ClipNorm > 0)
                {
                    GradientClipping.ClipGlobalNorm(_gradients, _options.ClipNorm);
                }

                var rate = schedule?.RateAt(Math.Min(_optimizer.Steps - _firstStep + 1, totalSteps)) ?? _options.LearningRate;
                _optimizer.Step(_parameters, _gradients, rate);
            }

            pending.Wait(cancellationToken);
            EpochTimes.Add(clock.Elapsed);
            var loss = (float)(lossSum / batchesPerEpoch);
            EpochLosses.Add(loss);
            _epochsDone++;
            afterEpoch?.Invoke(_epochsDone);
            var elapsed = total.Elapsed;
            var remaining = TimeSpan.FromTicks(elapsed.Ticks / (epoch + 1) * (_options.Epochs - epoch - 1));
            progress?.Report(new TrainingProgress(_epochsDone, Math.Max(plannedEpochs, _epochsDone), loss, elapsed, remaining));
        }
    }
}
