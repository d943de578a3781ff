using Rekognition.Training.Runtime;

namespace Rekognition.Training.Data;

/// <summary>
/// One step's inputs staged beside the session: the image batch and every loss input (labels, targets,
/// masks), shaped as the training graph declares them. A batch source fills it on a worker thread while
/// the session runs the previous step; the loop then copies it into the session's bound buffers.
/// </summary>
internal sealed class TrainingBatch
{
    private readonly Dictionary<string, Array> _buffers = new(StringComparer.Ordinal);

    /// <summary>Creates staging buffers for the data and label inputs of <paramref name="session"/>'s graph.</summary>
    public TrainingBatch(TrainingGraphSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        Size = session.Graph.BatchSize;
        DataInput = session.Graph.DataInputs[0];
        foreach (var name in session.Graph.DataInputs.Concat(session.Graph.LabelInputs))
        {
            _buffers[name] = session.IsInt64Input(name)
                ? new long[session.Int64Input(name).Length]
                : new float[session.Input(name).Length];
        }
    }

    /// <summary>Samples per batch.</summary>
    public int Size { get; }

    /// <summary>The name of the image input.</summary>
    public string DataInput { get; }

    /// <summary>The names of every staged input.</summary>
    public IEnumerable<string> Inputs => _buffers.Keys;

    /// <summary>The staged float input <paramref name="name"/> (all samples).</summary>
    public Span<float> Floats(string name) => _buffers.TryGetValue(name, out var b) && b is float[] f
        ? f
        : throw new ArgumentException($"The training graph has no float input {name}.", nameof(name));

    /// <summary>The staged int64 input <paramref name="name"/> (all samples).</summary>
    public Span<long> Int64s(string name) => _buffers.TryGetValue(name, out var b) && b is long[] l
        ? l
        : throw new ArgumentException($"The training graph has no int64 input {name}.", nameof(name));

    /// <summary>Slot <paramref name="sample"/> of the image input.</summary>
    public Span<float> Image(int sample)
    {
        var data = Floats(DataInput);
        var per = data.Length / Size;
        return data.Slice(sample * per, per);
    }

    /// <summary>Copies every staged input into the session's bound buffers.</summary>
    internal void CopyTo(TrainingGraphSession session)
    {
        foreach (var (name, buffer) in _buffers)
        {
            if (buffer is long[] l)
            {
                l.AsSpan().CopyTo(session.Int64Input(name));
            }
            else
            {
                ((float[])buffer).AsSpan().CopyTo(session.Input(name));
            }
        }
    }
}
