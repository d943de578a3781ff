using Rekognition.Onnx.Ir;
using Rekognition.Training.Graphs;

namespace Rekognition.Training.Detection;

/// <summary>
/// The new class convolution of a pretrained detector's head, one per level: a 1×1 convolution over the features the
/// detector's own class convolution read, with one row per dataset label — a copy of the detector's row for the class
/// of the same name where there is one, else a fresh row (small weights, the prior-probability bias).
/// </summary>
internal sealed class ClassRowStart
{
    private readonly Dictionary<string, TensorProto> _initializers;
    private readonly IReadOnlyList<int> _rows;
    private readonly Random _random;
    private readonly List<string> _trainable = new();
    private readonly Dictionary<string, bool[]> _freshRows = new(StringComparer.Ordinal);

    /// <summary>Starts the rows of the labels whose detector class is <paramref name="rows"/>[label] (-1: fresh).</summary>
    public ClassRowStart(Dictionary<string, TensorProto> initializers, IReadOnlyList<int> rows, int seed)
    {
        (_initializers, _rows, _random) = (initializers, rows, new Random(seed));
    }

    /// <summary>The new convolutions' weights and biases, in creation order.</summary>
    public IReadOnlyList<string> Trainable => _trainable;

    /// <summary>For each new weight and bias, which of its rows (one per label) started fresh rather than from the detector's.</summary>
    public IReadOnlyDictionary<string, bool[]> FreshRows => _freshRows;

    /// <summary>
    /// Emits the convolution (weights <c>det.{name}.weight</c> and <c>.bias</c>) replacing the class rows of
    /// <paramref name="detectorClasses"/> (a 1×1 convolution whose weight is an initializer [rows, features, 1, 1]; the
    /// detector's class k is its row <paramref name="firstRow"/> + k); returns its output [N, labels, H, W].
    /// </summary>
    public string Convolution(GraphEmitter e, NodeProto detectorClasses, string name, int firstRow = 0)
    {
        var oldWeight = _initializers[detectorClasses.Input[1]];
        var (classes, c) = ((int)oldWeight.Dims[0], (int)oldWeight.Dims[1]);
        var old = OnnxTensors.ToFloats(oldWeight);
        var oldBias = detectorClasses.Input.Count > 2 && _initializers.TryGetValue(detectorClasses.Input[2], out var b) ? OnnxTensors.ToFloats(b) : new float[classes];
        var labels = _rows.Count;
        var prior = -MathF.Log((1 - DetectorNetwork.PriorProbability) / DetectorNetwork.PriorProbability);
        var weight = new float[labels * c];
        var bias = new float[labels];
        for (var k = 0; k < labels; k++)
        {
            if (_rows[k] >= 0)
            {
                old.AsSpan((firstRow + _rows[k]) * c, c).CopyTo(weight.AsSpan(k * c, c));
                bias[k] = oldBias[firstRow + _rows[k]];
                continue;
            }

            for (var i = 0; i < c; i++)
            {
                weight[(k * c) + i] = 0.01f * Gaussian(_random);
            }

            bias[k] = prior;
        }

        var weightName = $"det.{name}.weight";
        var biasName = $"det.{name}.bias";
        e.Reserve(weightName);
        e.Reserve(biasName);
        e.Graph.Initializer.Add(OnnxTensors.FromFloats(weightName, weight, new long[] { labels, c, 1, 1 }));
        e.Graph.Initializer.Add(OnnxTensors.FromFloats(biasName, bias, new long[] { labels }));
        _trainable.Add(weightName);
        _trainable.Add(biasName);
        var fresh = _rows.Select(r => r < 0).ToArray();
        _freshRows[weightName] = fresh;
        _freshRows[biasName] = fresh;
        return e.Op("Conv", new[] { detectorClasses.Input[0], weightName, biasName }, OnnxAttributes.Ints("kernel_shape", new long[] { 1, 1 }));
    }

    private static float Gaussian(Random random) =>
        MathF.Sqrt(-2f * MathF.Log(1f - random.NextSingle())) * MathF.Cos(2f * MathF.PI * random.NextSingle());
}
