using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Rekognition.Onnx.Ir;
using Rekognition.Training.Data;

namespace Rekognition.Training.Trainers;

/// <summary>Runs an exported inference graph over a sample source in chunks and returns its raw outputs (logits).</summary>
internal sealed class InferenceScorer : IDisposable
{
    private readonly InferenceSession _session;
    private readonly string _input;
    private readonly string _output;
    private readonly RunOptions _runOptions = new();

    /// <summary>Opens <paramref name="model"/> with <paramref name="threads"/> intra-op threads.</summary>
    public InferenceScorer(ModelProto model, int threads = 2)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL, IntraOpNumThreads = threads };
        _session = new InferenceSession(model.ToByteArray(), options);
        _input = model.Graph.Input.First(i => model.Graph.Initializer.All(t => t.Name != i.Name)).Name;
        _output = model.Graph.Output[0].Name;
    }

    /// <summary>Outputs for every sample, row-major [count, outputs].</summary>
    public float[] Score(ISampleSource samples, int chunk = 100)
    {
        float[]? result = null;
        Run(samples, chunk, (start, n, values) =>
        {
            result ??= new float[samples.Count * (values.Length / n)];
            values.CopyTo(result.AsSpan(start * (values.Length / n)));
        });
        return result ?? Array.Empty<float>();
    }

    /// <summary>
    /// Outputs for every sample as rows of a <see cref="FeatureMatrix"/>, which goes to a file in <paramref name="directory"/>
    /// beyond <paramref name="memoryBudgetBytes"/>, so scoring a large set holds one chunk of outputs at a time. Dispose it.
    /// </summary>
    public FeatureMatrix ScoreToMatrix(ISampleSource samples, long memoryBudgetBytes = FeatureMatrix.DefaultMemoryBudget, string? directory = null, int chunk = 100)
    {
        FeatureMatrix? matrix = null;
        try
        {
            Run(samples, chunk, (start, n, values) =>
            {
                matrix ??= new FeatureMatrix(samples.Count, values.Length / n, memoryBudgetBytes, directory);
                matrix.WriteRows(start, values);
            });
            return matrix ?? throw new ArgumentException("There are no samples to score.", nameof(samples));
        }
        catch
        {
            matrix?.Dispose();
            throw;
        }
    }

    /// <summary>The share of samples whose highest output is their class.</summary>
    public static double Accuracy(float[] logits, int[] classes)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(classes);
        var k = logits.Length / classes.Length;
        var correct = 0;
        for (var i = 0; i < classes.Length; i++)
        {
            var row = logits.AsSpan(i * k, k);
            var best = 0;
            for (var c = 1; c < k; c++)
            {
                if (row[c] > row[best])
                {
                    best = c;
                }
            }

            correct += best == classes[i] ? 1 : 0;
        }

        return correct / (double)classes.Length;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _runOptions.Dispose();
        _session.Dispose();
    }

    /// <summary>Runs the model over <paramref name="samples"/> <paramref name="chunk"/> at a time, handing each chunk's outputs to <paramref name="sink"/>.</summary>
    private void Run(ISampleSource samples, int chunk, ChunkSink sink)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(chunk);
        var perSample = samples.SampleShape.Aggregate(1, (p, d) => p * d);
        var random = new Random(0);
        var buffer = new float[Math.Min(chunk, Math.Max(1, samples.Count)) * perSample];
        for (var start = 0; start < samples.Count; start += chunk)
        {
            var n = Math.Min(chunk, samples.Count - start);
            for (var s = 0; s < n; s++)
            {
                samples.Write(start + s, buffer.AsSpan(s * perSample, perSample), augment: false, random);
            }

            var shape = new long[] { n }.Concat(samples.SampleShape.Select(d => (long)d)).ToArray();
            using var input = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, buffer.AsMemory(0, n * perSample), shape);
            using var outputs = _session.Run(_runOptions, new[] { _input }, new[] { input }, new[] { _output });
            sink(start, n, outputs[0].GetTensorDataAsSpan<float>());
        }
    }

    /// <summary>Receives the outputs of samples [start, start + n), row-major.</summary>
    private delegate void ChunkSink(int start, int n, ReadOnlySpan<float> outputs);
}
