using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Rekognition.Core.Inference.Decoding;
using Rekognition.Core.Model;
using Rekognition.Core.Models;
using Rekognition.Onnx.Runtime;

namespace Rekognition.Onnx.Hosting;

/// <summary>
/// One inference unit: an ONNX Runtime session with its input and output tensors bound once to pinned
/// buffers, so a run copies nothing and allocates nothing. Used by one caller at a time.
/// </summary>
internal sealed class InferenceUnit : IDisposable
{
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly float[] _input;
    private readonly OrtValue _inputValue;
    private readonly float[][] _outputs;
    private readonly int[][] _outputDims;
    private readonly OrtValue[] _outputValues;
    private readonly OrtIoBinding _binding;

    private InferenceUnit(InferenceSession session, ModelPackageMetadata metadata, string modelName)
    {
        _session = session;
        var spec = metadata.Input;
        long[] shape = spec.Layout == TensorLayout.NCHW ? [1, 3, spec.Height, spec.Width] : [1, spec.Height, spec.Width, 3];
        _input = GC.AllocateArray<float>(3 * spec.Width * spec.Height, pinned: true);
        _inputValue = OrtValue.CreateTensorValueFromMemory(_input, shape);
        string[] names = metadata.Output.Format == OutputFormat.BoxesAndScores ? [metadata.Output.Scores, metadata.Output.Boxes!] : [metadata.Output.Scores];
        _outputs = new float[names.Length][];
        _outputDims = new int[names.Length][];
        _outputValues = new OrtValue[names.Length];
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

                    _outputs[i] = GC.AllocateArray<float>((int)info.ElementCount, pinned: true);
                    _outputDims[i] = info.Shape.Skip(1).Select(d => (int)d).ToArray();
                    _outputValues[i] = OrtValue.CreateTensorValueFromMemory(_outputs[i], info.Shape);
                    i++;
                }
            }

            CheckOutputs(metadata, modelName);
            _binding = _session.CreateIoBinding();
            _binding.BindInput(spec.Name, _inputValue);
            for (var i = 0; i < names.Length; i++)
            {
                _binding.BindOutput(names[i], _outputValues[i]);
            }

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

    /// <summary>Scratch list for a detector's candidates, reused from call to call.</summary>
    public List<DetectionCandidate> Candidates { get; } = new();

    /// <summary>Loads a session and binds its tensors; <see cref="InvalidParameterException"/> when the model does not run as its metadata says.</summary>
    public static InferenceUnit Create(OnnxSessionFactory factory, byte[] modelBytes, ModelPackageMetadata metadata, string modelName)
    {
        var session = factory.CreateSession(modelBytes, modelName);
        try
        {
            return new InferenceUnit(session, metadata, modelName);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>Runs the model on what is in <see cref="Input"/>; the outputs land in their bound buffers.</summary>
    public void Run() => _session.RunWithBinding(_runOptions, _binding);

    /// <summary>Output <paramref name="index"/> (0: scores, 1: boxes) after a run.</summary>
    public ReadOnlySpan<float> Output(int index) => _outputs[index];

    /// <summary>Output <paramref name="index"/>'s shape without its batch dimension.</summary>
    public ReadOnlySpan<int> OutputDims(int index) => _outputDims[index];

    public void Dispose()
    {
        _binding?.Dispose();
        DisposeValues();
        _session.Dispose();
    }

    private void DisposeValues()
    {
        foreach (var value in _outputValues)
        {
            value?.Dispose();
        }

        _inputValue.Dispose();
        _runOptions.Dispose();
    }

    private void CheckOutputs(ModelPackageMetadata metadata, string modelName)
    {
        var labels = metadata.Labels.Count;
        var problem = metadata.Output.Format switch
        {
            OutputFormat.Probabilities or OutputFormat.Logits when _outputs[0].Length != labels =>
                $"output '{metadata.Output.Scores}' has {_outputs[0].Length} values per image but the metadata lists {labels} labels",
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
