using Rekognition.Core.Models;
using Rekognition.Onnx.Ir;
using Rekognition.Training.Graphs;

namespace Rekognition.Training.Detection;

/// <summary>Shape of the built-in detector.</summary>
public sealed record DetectorNetworkOptions
{
    /// <summary>Side of the square input, a multiple of 32.</summary>
    public int InputSize { get; init; } = 256;

    /// <summary>Channels of the backbone's five stages (strides 2 to 32).</summary>
    public IReadOnlyList<int> StageWidths { get; init; } = new[] { 16, 24, 48, 64, 96 };

    /// <summary>Channels of the pyramid and of each level's head.</summary>
    public int PyramidWidth { get; init; } = 48;

    /// <summary>Whether coarse levels are upsampled into finer ones (a feature pyramid's top-down path).</summary>
    public bool TopDown { get; init; } = true;
}

/// <summary>
/// The built-in anchor-free detector, written as an ONNX inference graph. A plain conv-BN-ReLU backbone
/// (two convs per stage, stride 2 at each stage's first) feeds a feature pyramid at strides 8, 16 and 32:
/// a 1×1 lateral per level plus the upsampled coarser level, then per level a 3×3 conv-BN-ReLU and a 1×1
/// prediction of 5 + labels values per cell — YOLOX's layout (centre offset from the cell, log size in
/// strides, objectness logit, class logits). The levels' rows are concatenated into one output
/// [N, locations, 5 + labels], so one loss and one decoder cover every level.
/// </summary>
/// <remarks>
/// Why YOLOX-style (anchor-free, one row per cell, objectness): no anchor shapes to tune per dataset, the
/// targets are simple (cells near a box's centre at the level its size picks), and the trained model
/// shares the raw layout of the YOLOX exports users import.
/// </remarks>
internal static class DetectorNetwork
{
    /// <summary>The input's name.</summary>
    public const string Input = "input";

    /// <summary>The raw output's name: [N, locations, 5 + labels].</summary>
    public const string RawOutput = "raw";

    /// <summary>The pyramid's strides.</summary>
    public static readonly IReadOnlyList<int> Strides = new[] { 8, 16, 32 };

    /// <summary>Prior probability the objectness and class logits start at (their biases' initial value), so the many background cells do not swamp the first steps.</summary>
    public const float PriorProbability = 0.01f;

    /// <summary>Builds the network for <paramref name="labels"/> classes; returns the graph, its trainable initializers and its grid.</summary>
    public static (ModelProto Model, IReadOnlyList<string> Trainable, DetectionGrid Grid) Build(int labels, DetectorNetworkOptions? options = null, int seed = 0)
    {
        var o = options ?? new DetectorNetworkOptions();
        if (o.InputSize % 32 != 0 || o.InputSize < 64)
        {
            throw new ArgumentException($"The input size {o.InputSize} must be a multiple of 32, at least 64.", nameof(options));
        }

        if (o.StageWidths.Count != 5)
        {
            throw new ArgumentException("The backbone needs five stage widths.", nameof(options));
        }

        var layers = new ConvLayers(seed);
        var x = Input;
        var channels = 3;
        var taps = new List<(string Tensor, int Channels)>();
        for (var stage = 0; stage < 5; stage++)
        {
            var c = o.StageWidths[stage];
            x = layers.ConvBnRelu(x, channels, c, 3, stride: 2);
            if (stage > 0)
            {
                x = layers.ConvBnRelu(x, c, c, 3, stride: 1);
            }

            channels = c;
            if (stage >= 2)
            {
                taps.Add((x, c));
            }
        }

        var grid = new DetectionGrid(o.InputSize, o.InputSize, Strides);
        AddPyramidAndHeads(layers, taps, labels, o);
        return (layers.Finish(Input, o.InputSize, RawOutput, grid.Count, 5 + labels), layers.Trainable, grid);
    }

    /// <summary>
    /// Builds the detector on an external backbone's feature maps (<see cref="DetectorBackbone"/>): its graph up
    /// to the taps, then the pyramid and heads. The input size is the backbone's; returns also the preprocessing it expects.
    /// </summary>
    public static (ModelProto Model, IReadOnlyList<string> Trainable, DetectionGrid Grid, ModelInputSpec Input) Build(int labels, DetectorBackbone backbone,
        DetectorNetworkOptions? options = null, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(backbone);
        var o = options ?? new DetectorNetworkOptions();
        var loaded = backbone.Load();
        var size = loaded.Input.Width;
        var layers = new ConvLayers(seed, loaded.Model.Graph);
        AddPyramidAndHeads(layers, loaded.Taps.Zip(loaded.Channels).ToList(), labels, o);
        var grid = new DetectionGrid(size, size, Strides);
        var model = layers.Finish(loaded.Input.Name, size, RawOutput, grid.Count, 5 + labels, loaded.Model.OpsetImport);
        return (model, loaded.Trainable.Concat(layers.Trainable).ToList(), grid, loaded.Input);
    }

    // Pyramid: a 1×1 lateral per tap plus the upsampled coarser level; per level a 3×3 conv-BN-ReLU and the 1×1 prediction; rows concatenated.
    private static void AddPyramidAndHeads(ConvLayers layers, IReadOnlyList<(string Tensor, int Channels)> taps, int labels, DetectorNetworkOptions o)
    {
        var p = o.PyramidWidth;
        var levels = new string[taps.Count];
        for (var l = taps.Count - 1; l >= 0; l--)
        {
            var lateral = layers.Conv(taps[l].Tensor, taps[l].Channels, p, 1, 1, bias: true);
            levels[l] = o.TopDown && l < taps.Count - 1 ? layers.Emit.Add(lateral, layers.Upsample2x(levels[l + 1])) : lateral;
        }

        var width = 5 + labels;
        var prior = -MathF.Log((1 - PriorProbability) / PriorProbability);
        var rows = new string[levels.Length];
        for (var l = 0; l < levels.Length; l++)
        {
            var h = layers.ConvBnRelu(levels[l], p, p, 3, stride: 1);
            var biasInit = new float[width];
            biasInit.AsSpan(4).Fill(prior);
            var prediction = layers.Conv(h, p, width, 1, 1, bias: true, initialBias: biasInit, weightScale: 0.1f);
            // [N, 5+K, H, W] → [N, H·W, 5+K]
            var flat = layers.Emit.Op("Reshape", new[] { prediction, layers.Emit.Int64s(0, width, -1) });
            rows[l] = layers.Emit.Transpose(flat, 0, 2, 1);
        }

        layers.Emit.Add("Concat", rows, new[] { RawOutput }, OnnxAttributes.Int("axis", 1));
    }
}
