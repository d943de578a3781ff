using System.Text;
using Rekognition.Core.Storage;
using Rekognition.Training.Optimizers;
using Rekognition.Training.Runtime;

namespace Rekognition.Training.Checkpoints;

/// <summary>
/// Everything a <see cref="Trainers.TrainingLoop"/> needs to go on after a crash, as of the end of an epoch:
/// the parameters and batch-norm running statistics by name, the optimizer's step count and state buffers,
/// the dropout generator's state, the epochs done and their losses. The shuffling and augmentation of an
/// epoch are drawn from generators seeded by the run's seed and the epoch's number, so no generator state
/// beyond the dropout one needs keeping. <see cref="Fingerprint"/> names the job (data, labels, options) it
/// belongs to; a checkpoint of another job is ignored.
/// </summary>
/// <remarks>
/// File layout (little-endian): magic, format version, fingerprint, epochs done, optimizer steps, first step,
/// dropout state, epoch losses and seconds, named tensors, optimizer buffers, and an end marker, so a file
/// cut short is refused rather than half-read. <see cref="Save"/> writes a temporary file, flushes it to disk
/// and renames it over the old one, so a crash while saving leaves the previous checkpoint whole.
/// </remarks>
internal sealed class TrainingCheckpoint
{
    /// <summary>The checkpoint's file name in a checkpoint folder.</summary>
    public const string FileName = Core.Training.TrainingJob.CheckpointFileName;

    private const string Magic = "RKTCKPT";
    private const int FormatVersion = 1;
    private const int EndMarker = 0x454E4421;

    /// <summary>The job this checkpoint belongs to (see <see cref="TrainingFingerprint"/>).</summary>
    public required string Fingerprint { get; init; }

    /// <summary>Epochs finished when it was taken.</summary>
    public required int EpochsDone { get; init; }

    /// <summary>The optimizer's step count.</summary>
    public required long OptimizerSteps { get; init; }

    /// <summary>The optimizer's step count when the loop was created (the schedule counts from it).</summary>
    public required long FirstStep { get; init; }

    /// <summary>The dropout masks' generator state.</summary>
    public required ulong DropoutRandomState { get; init; }

    /// <summary>The mean loss of each finished epoch.</summary>
    public required IReadOnlyList<float> EpochLosses { get; init; }

    /// <summary>The wall time of each finished epoch, in seconds.</summary>
    public required IReadOnlyList<double> EpochSeconds { get; init; }

    /// <summary>Parameters and batch-norm running statistics by initializer name.</summary>
    public required IReadOnlyDictionary<string, float[]> Tensors { get; init; }

    /// <summary>The optimizer's state buffers, in <see cref="Optimizer.State"/>'s order.</summary>
    public required IReadOnlyList<float[]> OptimizerState { get; init; }

    /// <summary>The checkpoint file in <paramref name="directory"/>.</summary>
    public static string PathIn(string directory) => Path.Combine(directory, FileName);

    /// <summary>Prefix of a parameter's weight average among <see cref="Tensors"/>.</summary>
    public const string AveragePrefix = "average:";

    // The average's update count, as a one-value tensor (exact up to 2^24 steps; the count only shapes the first steps' decay).
    private const string AverageUpdates = "average::updates";

    /// <summary>Copies the state of a session, its optimizer and its weight average if any (the arrays are copies; training may go on).</summary>
    public static TrainingCheckpoint Capture(
        string fingerprint, TrainingGraphSession session, Optimizer optimizer, long firstStep, int epochsDone, IReadOnlyList<float> losses, IReadOnlyList<double> seconds,
        WeightAverage? average = null)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(optimizer);
        var tensors = new Dictionary<string, float[]>(StringComparer.Ordinal);
        for (var i = 0; i < session.Graph.Parameters.Count; i++)
        {
            tensors[session.Graph.Parameters[i].Name] = (float[])session.Parameter(i).Clone();
        }

        foreach (var (name, values) in session.RunningStatistics)
        {
            tensors[name] = (float[])values.Clone();
        }

        if (average is not null)
        {
            for (var i = 0; i < average.Values.Count; i++)
            {
                tensors[AveragePrefix + session.Graph.Parameters[i].Name] = (float[])average.Values[i].Clone();
            }

            tensors[AverageUpdates] = new[] { (float)average.Updates };
        }

        return new TrainingCheckpoint
        {
            Fingerprint = fingerprint,
            EpochsDone = epochsDone,
            OptimizerSteps = optimizer.Steps,
            FirstStep = firstStep,
            DropoutRandomState = session.DropoutRandomState,
            EpochLosses = losses.ToArray(),
            EpochSeconds = seconds.ToArray(),
            Tensors = tensors,
            OptimizerState = optimizer.State.Select(s => (float[])s.Clone()).ToArray(),
        };
    }

    /// <summary>
    /// Puts the state back into a session and optimizer built for the same graph, and into <paramref name="average"/> (from
    /// the checkpoint's average, or restarted at the restored parameters when it has none). Checks every shape first and
    /// throws <see cref="InvalidDataException"/> without changing anything when one differs.
    /// </summary>
    public void Restore(TrainingGraphSession session, Optimizer optimizer, WeightAverage? average = null)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(optimizer);
        var targets = new List<(float[] From, float[] To)>();
        for (var i = 0; i < session.Graph.Parameters.Count; i++)
        {
            targets.Add((Find(session.Graph.Parameters[i].Name), session.Parameter(i)));
        }

        foreach (var (name, values) in session.RunningStatistics)
        {
            targets.Add((Find(name), values));
        }

        if (targets.Any(t => t.From.Length != t.To.Length))
        {
            throw new InvalidDataException("The checkpoint's tensors do not have the training graph's shapes.");
        }

        var state = optimizer.State;
        if (state.Count != OptimizerState.Count || state.Where((s, i) => s.Length != OptimizerState[i].Length).Any())
        {
            throw new InvalidDataException("The checkpoint's optimizer state does not match the optimizer.");
        }

        var saved = Tensors.ContainsKey(AverageUpdates);
        var averaged = average is null ? null
            : Enumerable.Range(0, session.Graph.Parameters.Count).Select(i => saved ? Find(AveragePrefix + session.Graph.Parameters[i].Name) : targets[i].From).ToList();
        if (averaged is not null && averaged.Where((v, i) => v.Length != targets[i].To.Length).Any())
        {
            throw new InvalidDataException("The checkpoint's weight average does not have the training graph's shapes.");
        }

        foreach (var (from, to) in targets)
        {
            from.AsSpan().CopyTo(to);
        }

        if (averaged is not null)
        {
            average!.Restore(averaged, saved ? (long)Tensors[AverageUpdates][0] : 0);
        }

        optimizer.RestoreState(OptimizerSteps, OptimizerState);
        session.DropoutRandomState = DropoutRandomState;

        float[] Find(string name) => Tensors.TryGetValue(name, out var v)
            ? v
            : throw new InvalidDataException($"The checkpoint has no tensor {name}.");
    }

    /// <summary>Writes the checkpoint to <paramref name="path"/> atomically (temporary file, flush, rename).</summary>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        AtomicFile.Write(path, stream =>
        {
            using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
            Write(writer);
        }, flushToDisk: true);
    }

    /// <summary>
    /// Reads the checkpoint at <paramref name="path"/>; null when there is none, when it belongs to another
    /// job than <paramref name="fingerprint"/> (null: any job), or when it cannot be read whole.
    /// </summary>
    public static TrainingCheckpoint? TryLoad(string path, string? fingerprint)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            using var reader = new BinaryReader(stream, Encoding.UTF8);
            var checkpoint = Read(reader);
            return fingerprint is null || checkpoint.Fingerprint == fingerprint ? checkpoint : null;
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Removes the checkpoint folder <paramref name="directory"/> (once the model package is written).</summary>
    public static void Delete(string directory)
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private void Write(BinaryWriter w)
    {
        w.Write(Magic);
        w.Write(FormatVersion);
        w.Write(Fingerprint);
        w.Write(EpochsDone);
        w.Write(OptimizerSteps);
        w.Write(FirstStep);
        w.Write(DropoutRandomState);
        w.Write(EpochLosses.Count);
        foreach (var l in EpochLosses)
        {
            w.Write(l);
        }

        w.Write(EpochSeconds.Count);
        foreach (var s in EpochSeconds)
        {
            w.Write(s);
        }

        w.Write(Tensors.Count);
        foreach (var (name, values) in Tensors.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            w.Write(name);
            WriteFloats(w, values);
        }

        w.Write(OptimizerState.Count);
        foreach (var values in OptimizerState)
        {
            WriteFloats(w, values);
        }

        w.Write(EndMarker);
    }

    private static TrainingCheckpoint Read(BinaryReader r)
    {
        if (r.ReadString() != Magic || r.ReadInt32() != FormatVersion)
        {
            throw new InvalidDataException("Not a training checkpoint of this version.");
        }

        var fingerprint = r.ReadString();
        var epochs = r.ReadInt32();
        var steps = r.ReadInt64();
        var first = r.ReadInt64();
        var dropout = r.ReadUInt64();
        var losses = new float[Count(r)];
        for (var i = 0; i < losses.Length; i++)
        {
            losses[i] = r.ReadSingle();
        }

        var seconds = new double[Count(r)];
        for (var i = 0; i < seconds.Length; i++)
        {
            seconds[i] = r.ReadDouble();
        }

        var tensors = new Dictionary<string, float[]>(StringComparer.Ordinal);
        for (var n = Count(r); n > 0; n--)
        {
            var name = r.ReadString();
            tensors[name] = ReadFloats(r);
        }

        var state = new float[Count(r)][];
        for (var i = 0; i < state.Length; i++)
        {
            state[i] = ReadFloats(r);
        }

        if (r.ReadInt32() != EndMarker || epochs < 0 || steps < 0)
        {
            throw new InvalidDataException("The training checkpoint is incomplete.");
        }

        return new TrainingCheckpoint
        {
            Fingerprint = fingerprint, EpochsDone = epochs, OptimizerSteps = steps, FirstStep = first, DropoutRandomState = dropout,
            EpochLosses = losses, EpochSeconds = seconds, Tensors = tensors, OptimizerState = state,
        };
    }

    private static int Count(BinaryReader r)
    {
        var n = r.ReadInt32();
        return n is >= 0 and <= (1 << 28) ? n : throw new InvalidDataException("The training checkpoint is damaged.");
    }

    private static void WriteFloats(BinaryWriter w, float[] values)
    {
        w.Write(values.Length);
        w.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
    }

    private static float[] ReadFloats(BinaryReader r)
    {
        var values = new float[Count(r)];
        var bytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan());
        for (var read = 0; read < bytes.Length;)
        {
            var n = r.Read(bytes[read..]);
            read += n > 0 ? n : throw new InvalidDataException("The training checkpoint is cut short.");
        }

        return values;
    }
}
