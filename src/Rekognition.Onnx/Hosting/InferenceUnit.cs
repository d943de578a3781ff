using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Rekognition.Core.Model;
using Rekognition.Core.Models;
using Rekognition.Onnx.Detection.Decoding;
using Rekognition.Onnx.Runtime;

namespace Rekognition.Onnx.Hosting;

/// <summary>
/// One inference unit: an ONNX Runtime session with its input and output tensors bound to pinned buffers, so a
/// run copies nothing and allocates nothing. A single request writes into the unit's own batch-1 input
/// (<see cref="Input"/>, <see cref="Run()"/>); a batch of requests is run from a <see cref="BatchBuffer"/>
/// (<see cref="Run(BatchBuffer, int)"/>) when the model's batch axis is dynamic. Used by one caller at a time.
/// </summary>
internal sealed class InferenceUnit : IDisposable
{
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly string _inputName;
    private readonly string[] _outputNames;
    private readonly float[] _input;
    private readonly OrtValue _inputValue;
    private readonly float[][] _outputs;
    private readonly int[] _outputsPerImage;
    private readonly long[][] _outputShapes;
    private readonly int[][] _outputDims;
    private readonly OrtValue?[][] _outputValues;
    private readonly OrtIoBinding _binding;
    private OrtValue? _boundInput;
    private int _boundCount;

    private InferenceUnit(InferenceSession session, ModelPackageMetadata metadata, string modelName, int maxBatch)
    {
        _session = session;
        var spec = metadata.Input;
        _inputName = spec.Name;
        ImageShape = InputShape(spec);
        _input = GC.AllocateArray<float>(3 * spec.Width * spec.Height, pinned: true);
        _inputValue = OrtValue.CreateTensorValueFromMemory(_input, ImageShape);
        _outputNames = metadata.Output.Format == OutputFormat.BoxesAndScores ? [metadata.Output.Scores, metadata.Output.Boxes!] : [metadata.Output.Scores];
        var names = _outputNames;
        _outputs = new float[names.Length][];
        _outputsPerImage = new int[names.Length];
        _outputShapes = new long[names.Length][];
        _outputDims = new int[names.Length][];
        _outputValues = new OrtValue?[names.Length][];
        try
        {
            // The first run sizes the outputs (their shapes may be symbolic in the graph); they are bound after.
            using (var results = _session.Run(_runOptions, [spec.Name], [_inputValue], names))
            {
                var i = 0;
                foreach (var result in results)
                {
                    var info = result.GetTensorTypeAndShape();
                    if (info.ElementDataType != TensorElementType.Float)
                    {
                        throw new InvalidParameterException($"The model {modelName} output '{names[i]}' holds {info.ElementDataType}; outputs must be float.");
                    }

                    _outputsPerImage[i] = (int)info.ElementCount;
                    _outputShapes[i] = info.Shape;
                    _outputDims[i] = info.Shape.Skip(1).Select(d => (int)d).ToArray();
                    i++;
                }
            }

            CheckOutputs(metadata, modelName);
            MaxBatch = maxBatch > 1 && BatchAxisIsDynamic(spec.Name) && OutputsFollowTheBatch(spec.Name, names) ? maxBatch : 1;
            for (var i = 0; i < names.Length; i++)
            {
                _outputs[i] = GC.AllocateArray<float>(_outputsPerImage[i] * MaxBatch, pinned: true);
                _outputValues[i] = new OrtValue?[MaxBatch];
            }

            _binding = _session.CreateIoBinding();
            Run(); // warm: the first bound run plans its memory
        }
        catch (OnnxRuntimeException ex)
        {
            DisposeValues();
            throw new InvalidParameterException($"The model {modelName} failed its first run on a {spec.Width}x{spec.Height} {spec.Layout} input: {ex.Message}", ex);
        }
        catch
        {
            DisposeValues();
            throw;
        }
    }

    /// <summary>The input tensor's memory for one image (3 x height x width floats in the model's layout).</summary>
    public Span<float> Input => _input;

    /// <summary>One image's input shape, batch dimension 1 first.</summary>
    public long[] ImageShape { get; }

    /// <summary>The most images one run takes: 1 when the model's batch axis is fixed or its outputs do not follow it.</summary>
    public int MaxBatch { get; }

    /// <summary>Scratch list for a detector's candidates, reused from call to call.</summary>
    public List<DetectionCandidate> Candidates { get; } = new();

    /// <summary>One image's input shape for <paramref name="spec"/>, batch dimension 1 first.</summary>
    public static long[] InputShape(ModelInputSpec spec) =>
        spec.Layout == TensorLayout.NCHW ? [1, 3, spec.Height, spec.Width] : [1, spec.Height, spec.Width, 3];

    /// <summary>
    /// Loads a session and binds its tensors, ready for batches of up to <paramref name="maxBatch"/> images where the
    /// model allows; <see cref="InvalidParameterException"/> when the model does not run as its metadata says.
    /// </summary>
    public static InferenceUnit Create(OnnxSessionFactory factory, byte[] modelBytes, ModelPackageMetadata metadata, string modelName, int maxBatch = 1)
    {
        var session = factory.CreateSession(modelBytes, modelName);
        try
        {
            return new InferenceUnit(session, metadata, modelName, maxBatch);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>Runs the model on what is in <see cref="Input"/>; the outputs land in their bound buffers.</summary>
    public void Run() => Run(_inputValue, 1);

    /// <summary>Runs the model on the first <paramref name="count"/> images of <paramref name="batch"/> (at most <see cref="MaxBatch"/>).</summary>
    public void Run(BatchBuffer batch, int count)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, MaxBatch);
        Run(batch.Value(count), count);
    }

    /// <summary>Output <paramref name="index"/> (0: scores, 1: boxes) of image <paramref name="slot"/> after a run.</summary>
    public ReadOnlySpan<float> Output(int index, int slot = 0) => _outputs[index].AsSpan(slot * _outputsPerImage[index], _outputsPerImage[index]);

    /// <summary>Output <paramref name="index"/>'s shape without its batch dimension.</summary>
    public ReadOnlySpan<int> OutputDims(int index) => _outputDims[index];

    public void Dispose()
    {
        _binding?.Dispose();
        DisposeValues();
        _session.Dispose();
    }

    private void Run(OrtValue input, int count)
    {
        // Rebinding only when the input or the batch size changes keeps a steady stream of batch-1 runs as cheap as before.
        if (!ReferenceEquals(_boundInput, input))
        {
            _binding.BindInput(_inputName, input);
            _boundInput = input;
        }

        if (_boundCount != count)
        {
            for (var i = 0; i < _outputNames.Length; i++)
            {
                _binding.BindOutput(_outputNames[i], OutputValue(i, count));
            }

            _boundCount = count;
        }

        _session.RunWithBinding(_runOptions, _binding);
    }

    private OrtValue OutputValue(int index, int count)
    {
        var value = _outputValues[index][count - 1];
        if (value is null)
        {
            var shape = (long[])_outputShapes[index].Clone();
            shape[0] = count;
            value = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _outputs[index].AsMemory(0, count * _outputsPerImage[index]), shape);
            _outputValues[index][count - 1] = value;
        }

        return value;
    }

    /// <summary>Whether the graph declares the input's first axis symbolic (exported with a dynamic batch axis).</summary>
    private bool BatchAxisIsDynamic(string input) =>
        _session.InputMetadata.TryGetValue(input, out var meta) && meta.Dimensions.Length == 4 && meta.Dimensions[0] < 1;

    /// <summary>
    /// Whether a run on two images gives each output twice the values of one (so rows map to images); false too when
    /// the graph cannot run on two (a symbolic batch axis with a batch of 1 fixed inside, e.g. in a Reshape).
    /// </summary>
    private bool OutputsFollowTheBatch(string input, string[] names)
    {
        var shape = (long[])ImageShape.Clone();
        shape[0] = 2;
        var pair = new float[2 * _input.Length];
        using var value = OrtValue.CreateTensorValueFromMemory(pair, shape);
        try
        {
            using var results = _session.Run(_runOptions, [input], [value], names);
            var i = 0;
            foreach (var result in results)
            {
                var info = result.GetTensorTypeAndShape();
                if (info.ElementCount != 2L * _outputsPerImage[i] || info.Shape.Length == 0 || info.Shape[0] != 2)
                {
                    return false;
                }

                i++;
            }

            return true;
        }
        catch (OnnxRuntimeException)
        {
            return false;
        }
    }

    private void DisposeValues()
    {
        foreach (var values in _outputValues)
        {
            foreach (var value in values ?? [])
            {
                value?.Dispose();
            }
        }

        _inputValue.Dispose();
        _runOptions.Dispose();
    }

    private void CheckOutputs(ModelPackageMetadata metadata, string modelName)
    {
        var labels = metadata.Labels.Count;
        var problem = metadata.Output.Format switch
        {
            OutputFormat.Probabilities or OutputFormat.Logits when _outputsPerImage[0] != labels =>
                $"output '{metadata.Output.Scores}' has {_outputsPerImage[0]} values per image but the metadata lists {labels} labels",
            OutputFormat.YoloX or OutputFormat.YoloV5 or OutputFormat.YoloV8 when _outputDims[0].Length != 2 =>
                $"output '{metadata.Output.Scores}' has rank {_outputDims[0].Length + 1}; YOLO outputs have rank 3",
            OutputFormat.BoxesAndScores when _outputDims[0].Length != 2 || _outputDims[1].Length != 2 || _outputDims[0][1] != labels ||
                                             _outputDims[1][1] != 4 || _outputDims[0][0] != _outputDims[1][0] =>
                $"outputs '{metadata.Output.Scores}' and '{metadata.Output.Boxes}' are not [1, K, {labels}] and [1, K, 4]",
            _ => null,
        };
        if (problem is not null)
        {
            throw new InvalidParameterException($"The model {modelName} does not fit its metadata: {problem}.");
        }
    }
}
