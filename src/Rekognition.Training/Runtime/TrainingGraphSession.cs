using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Rekognition.Training.Graphs;
using Rekognition.Training.Kernels;

namespace Rekognition.Training.Runtime;

/// <summary>
/// Runs a <see cref="TrainingGraph"/> in ONNX Runtime with every input and output bound once to pinned
/// arrays: a step writes the batch into <see cref="Input"/>'s buffers, calls <see cref="Run"/>, and reads the
/// loss and gradients from the same arrays each time, so nothing is copied or allocated per step.
/// </summary>
internal sealed class TrainingGraphSession : IDisposable
{
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly string[] _inputNames;
    private readonly OrtValue[] _inputValues;
    private readonly string[] _outputNames;
    private readonly OrtValue[] _outputValues;
    private readonly Dictionary<string, Array> _buffers = new(StringComparer.Ordinal);
    private readonly float[] _loss = GC.AllocateArray<float>(1, pinned: true);
    private readonly (float[] Running, float[] Batch, float Momentum)[] _statistics;
    private readonly (float[] Mask, float Ratio)[] _dropoutMasks;
    private ulong _randomState;

    /// <summary>
    /// Creates the session with <paramref name="threads"/> intra-op threads; <paramref name="seed"/> seeds the dropout masks;
    /// <paramref name="profilePrefix"/>, when set, has ONNX Runtime profile every run (see <see cref="EndProfiling"/>).
    /// With <paramref name="sharing"/>, the parameters, their gradients and the running statistics are that session's own
    /// arrays (the same network at another input size: a step of either updates both).
    /// </summary>
    public TrainingGraphSession(TrainingGraph graph, int threads = 2, int seed = 0, string? profilePrefix = null, TrainingGraphSession? sharing = null)
    {
        _randomState = 0x9E3779B97F4A7C15UL ^ (ulong)(uint)seed;
        ArgumentNullException.ThrowIfNull(graph);
        Graph = graph;
        // EXTENDED, not ALL: ALL's NCHWc layout pass rewrites the constant-kernel im2col convs and adds reorders that cost more than they save.
        using (var options = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_EXTENDED,
            IntraOpNumThreads = threads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
        })
        {
            // No spinning: the batch loader's thread shares the cores with ORT's, and spinning workers starve it between steps.
            options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
            if (profilePrefix is not null)
            {
                options.EnableProfiling = true;
                options.ProfileOutputPathPrefix = profilePrefix;
            }

            if (graph.Model.OpsetImport.Any(o => o.Domain == TrainingKernels.Domain))
            {
                CustomOpDomain.Training.AddTo(options);
            }

            _session = new InferenceSession(graph.Model.ToByteArray(), options);
        }

        // With a session to share, its parameter and gradient arrays are bound here too, checked to be the same lengths.
        var shared = sharing is null
            ? new HashSet<string>(StringComparer.Ordinal)
            : graph.Parameters.SelectMany(p => new[] { p.Name, p.GradientName }).ToHashSet(StringComparer.Ordinal);
        float[] Shared(string name, int count) =>
            sharing!._buffers.TryGetValue(name, out var b) && b is float[] f && f.Length == count
                ? f
                : throw new ArgumentException($"The shared session has no parameter {name} of {count} values.", nameof(sharing));

        var inputNames = new List<string>();
        var inputValues = new List<OrtValue>();
        foreach (var input in graph.Model.Graph.Input)
        {
            var dims = input.Type.TensorType.Shape.Dim.Select(d => d.DimValue).ToArray();
            var count = checked((int)dims.Aggregate(1L, (p, d) => p * d));
            if (shared.Contains(input.Name))
            {
                var buffer = Shared(input.Name, count);
                _buffers[input.Name] = buffer;
                inputValues.Add(OrtValue.CreateTensorValueFromMemory(buffer, dims));
            }
            else if (input.Type.TensorType.ElemType == OnnxTensors.Int64)
            {
                var buffer = GC.AllocateArray<long>(count, pinned: true);
                _buffers[input.Name] = buffer;
                inputValues.Add(OrtValue.CreateTensorValueFromMemory(buffer, dims));
            }
            else
            {
                var buffer = GC.AllocateArray<float>(count, pinned: true);
                _buffers[input.Name] = buffer;
                inputValues.Add(OrtValue.CreateTensorValueFromMemory(buffer, dims));
            }

            inputNames.Add(input.Name);
        }

        if (sharing is null)
        {
            foreach (var p in graph.Parameters)
            {
                p.InitialValues.CopyTo((float[])_buffers[p.Name], 0);
            }
        }

        var outputNames = new List<string> { graph.LossOutput };
        var outputValues = new List<OrtValue> { OrtValue.CreateTensorValueFromMemory(_loss, Array.Empty<long>()) };
        foreach (var output in graph.Model.Graph.Output.Skip(1))
        {
            var dims = output.Type.TensorType.Shape.Dim.Select(d => d.DimValue).ToArray();
            var count = checked((int)dims.Aggregate(1L, (p, d) => p * d));
            var buffer = shared.Contains(output.Name) ? Shared(output.Name, count) : GC.AllocateArray<float>(count, pinned: true);
            _buffers[output.Name] = buffer;
            outputNames.Add(output.Name);
            outputValues.Add(OrtValue.CreateTensorValueFromMemory(buffer, dims));
        }

        _inputNames = inputNames.ToArray();
        _inputValues = inputValues.ToArray();
        _outputNames = outputNames.ToArray();
        _outputValues = outputValues.ToArray();

        _statistics = graph.BatchNorms.Select(b =>
        {
            // The running statistics live here, not in the graph: training mode never reads them.
            var running = sharing?.RunningStatistics[b.RunningMean] ?? (float[])b.InitialMean.Clone();
            var variance = sharing?.RunningStatistics[b.RunningVariance] ?? (float[])b.InitialVariance.Clone();
            RunningStatistics[b.RunningMean] = running;
            RunningStatistics[b.RunningVariance] = variance;
            return new[] { (running, (float[])_buffers[b.BatchMean], b.Momentum), (variance, (float[])_buffers[b.BatchVariance], b.Momentum) };
        }).SelectMany(x => x).ToArray();
        _dropoutMasks = graph.DropoutMasks.Select(m => ((float[])_buffers[m.Input], m.Ratio)).ToArray();
    }

    /// <summary>The graph this session runs.</summary>
    public TrainingGraph Graph { get; }

    /// <summary>The batch-norm running means and variances by initializer name, updated after every <see cref="Run"/>.</summary>
    public Dictionary<string, float[]> RunningStatistics { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// The state of the dropout masks' random generator: a checkpoint saves it, and setting it back makes the
    /// following steps draw the same masks as the run that saved it.
    /// </summary>
    public ulong DropoutRandomState
    {
        get => _randomState;
        set => _randomState = value;
    }

    /// <summary>The pinned float buffer bound to an input (data, float targets or a parameter) or an output (a gradient).</summary>
    public float[] Input(string name) => (float[])_buffers[name];

    /// <summary>The pinned int64 buffer bound to an input (class labels).</summary>
    public long[] Int64Input(string name) => (long[])_buffers[name];

    /// <summary>Whether input <paramref name="name"/> is bound to an int64 buffer (class labels) rather than a float one.</summary>
    public bool IsInt64Input(string name) => _buffers[name] is long[];

    /// <summary>A parameter's values (updated in place by the optimizer).</summary>
    public float[] Parameter(int index) => (float[])_buffers[Graph.Parameters[index].Name];

    /// <summary>A parameter's gradient from the last <see cref="Run"/>.</summary>
    public float[] Gradient(int index) => (float[])_buffers[Graph.Parameters[index].GradientName];

    /// <summary>Stops profiling (when the session was created with a profile prefix) and returns the profile's file.</summary>
    public string EndProfiling() => _session.EndProfiling();

    /// <summary>Runs one step on the bound buffers and returns the loss; blends batch statistics into the running ones.</summary>
    public float Run()
    {
        foreach (var (mask, ratio) in _dropoutMasks)
        {
            FillDropoutMask(mask, ratio);
        }

        _session.Run(_runOptions, _inputNames, _inputValues, _outputNames, _outputValues);
        foreach (var (running, batch, momentum) in _statistics)
        {
            for (var i = 0; i < running.Length; i++)
            {
                running[i] = (momentum * running[i]) + ((1f - momentum) * batch[i]);
            }
        }

        return _loss[0];
    }

    /// <summary>Draws a fresh mask: 0 with probability <paramref name="ratio"/>, else 1/(1 − ratio) (xorshift64*, two draws per 64 bits).</summary>
    private void FillDropoutMask(float[] mask, float ratio)
    {
        var threshold = (uint)Math.Min(uint.MaxValue, ratio * 4294967296.0);
        var kept = 1f / (1f - ratio);
        var state = _randomState;
        for (var i = 0; i < mask.Length; i += 2)
        {
            state ^= state >> 12;
            state ^= state << 25;
            state ^= state >> 27;
            var bits = state * 0x2545F4914F6CDD1DUL;
            mask[i] = (uint)bits >= threshold ? kept : 0f;
            if (i + 1 < mask.Length)
            {
                mask[i + 1] = (uint)(bits >> 32) >= threshold ? kept : 0f;
            }
        }

        _randomState = state;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var v in _inputValues)
        {
            v.Dispose();
        }

        foreach (var v in _outputValues)
        {
            v.Dispose();
        }

        _runOptions.Dispose();
        _session.Dispose();
    }
}
