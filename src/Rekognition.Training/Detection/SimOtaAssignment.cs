using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Rekognition.Onnx.Ir;

namespace Rekognition.Training.Detection;

/// <summary>
/// SimOTA-style dynamic label assignment (YOLOX's), for fine-tuning a pretrained detector: the network as it starts
/// (a frozen copy: the pretrained detector with its class rows mapped to the labels) predicts on each augmented training image, and each object is learned by the locations
/// whose predictions already fit it best — among the locations whose centre is inside the box or within
/// <see cref="CentreRadius"/> strides of its centre, at any level, the k of lowest cost (class cost plus 3·−log IoU,
/// locations inside both regions preferred), k being the sum of the object's 10 best IoUs (at least 1). A location
/// two objects pick learns the one it costs least for. Unlike the fixed one-level assignment, this asks the head
/// for what it was trained to do, so fine-tuning adapts it instead of first unlearning its levels.
/// </summary>
internal sealed class SimOtaAssignment : IDisposable
{
    private const float InBothBonus = 1e5f;
    private readonly InferenceSession _teacher;
    private readonly string _input;
    private readonly DetectionGrid _grid;
    private readonly int _labels;
    private readonly float[] _cells;
    private readonly float[] _strides;
    private readonly float[]? _anchorSizes;
    private readonly float[] _image;
    private readonly DenseTensor<float> _tensor;

    /// <summary>Starts an inference session of <paramref name="network"/> (its output: the raw rows [N, locations, 5 + labels]).</summary>
    /// <param name="network">The untrained network (<see cref="PretrainedDetector.Build"/>'s).</param>
    /// <param name="input">Its input's name.</param>
    /// <param name="grid">Its grid.</param>
    /// <param name="labels">How many labels it has.</param>
    /// <param name="threads">ONNX Runtime intra-op threads.</param>
    public SimOtaAssignment(ModelProto network, string input, DetectionGrid grid, int labels, int threads)
    {
        ArgumentNullException.ThrowIfNull(network);
        using var options = new SessionOptions { IntraOpNumThreads = Math.Max(1, threads), GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        _teacher = new InferenceSession(network.ToByteArray(), options);
        _input = input;
        _grid = grid;
        _labels = labels;
        _cells = grid.CellOffsets();
        _strides = grid.LocationStrides();
        _anchorSizes = grid.Anchors is null ? null : grid.AnchorSizes();
        _image = new float[3 * grid.Width * grid.Height];
        _tensor = new DenseTensor<float>(_image, new[] { 1, 3, grid.Height, grid.Width });
    }

    /// <summary>Half the side of the square around a box's centre whose locations are candidates, in strides.</summary>
    public float CentreRadius { get; init; } = 2.5f;

    /// <summary>
    /// The network's box columns: 0 for YOLOX's rows [centre offset, log size, objectness, classes]; more for YOLOv8's rows
    /// [4·RegMax distance bins, classes] (<see cref="DflRows"/>), whose class score stands alone.
    /// </summary>
    public int RegMax { get; init; }

    /// <summary>
    /// Writes one image's targets, as <see cref="DetectionTargets.Write"/> does, from the detector's predictions on
    /// <paramref name="image"/> (the preprocessed input, [3, H, W]); returns the number of positive locations.
    /// </summary>
    public int Write(ReadOnlySpan<float> image, ReadOnlySpan<InputBox> objects, Span<float> positive, Span<float> boxes, Span<float> classes)
    {
        var count = _grid.Count;
        positive.Clear();
        boxes.Clear();
        classes.Clear();
        if (objects.Length == 0)
        {
            return 0;
        }

        image.CopyTo(_image);
        float[] rows;
        using (var results = _teacher.Run(new[] { NamedOnnxValue.CreateFromTensor(_input, _tensor) }))
        {
            rows = results[0].AsEnumerable<float>().ToArray();
        }

        var first = RegMax > 0 ? 4 * RegMax : 5;
        var width = first + _labels;
        if (rows.Length != count * width)
        {
            throw new InvalidOperationException($"The network gave {rows.Length} values; {count} rows of {width} were expected.");
        }

        var bestCost = new float[count];
        bestCost.AsSpan().Fill(float.PositiveInfinity);
        var owner = new int[count];
        owner.AsSpan().Fill(-1);
        var candidates = new List<(int Location, float Cost, float Iou)>();
        for (var o = 0; o < objects.Length; o++)
        {
            var box = objects[o];
            if (box.Width <= 0 || box.Height <= 0)
            {
                continue;
            }

            var (cx, cy) = ((box.X1 + box.X2) / 2, (box.Y1 + box.Y2) / 2);
            candidates.Clear();
            for (var i = 0; i < count; i++)
            {
                var stride = _strides[i];
                var (px, py) = ((_cells[2 * i] + 0.5f) * stride, (_cells[(2 * i) + 1] + 0.5f) * stride);
                var inBox = px > box.X1 && px < box.X2 && py > box.Y1 && py < box.Y2;
                var radius = CentreRadius * stride;
                var inCentre = MathF.Abs(px - cx) < radius && MathF.Abs(py - cy) < radius;
                if (!inBox && !inCentre)
                {
                    continue;
                }

                var r = rows.AsSpan(i * width, width);
                var (x1, y1, x2, y2) = RegMax > 0 ? DistanceBox(r, px, py, stride) : _anchorSizes is null ? CentreSizeBox(r, i, stride) : AnchorBox(r, i, stride);
                var iou = Iou(box, x1, y1, x2, y2);
                // YOLOX's class cost is on √(class·objectness), both probabilities; YOLOv8 has no objectness.
                var score = RegMax > 0 ? Sigmoid(r[first + box.Label]) : MathF.Sqrt(Sigmoid(r[5 + box.Label]) * Sigmoid(r[4]));
                var cost = -MathF.Log(Math.Max(score, 1e-8f)) + (3f * -MathF.Log(iou + 1e-8f)) + (inBox && inCentre ? 0f : InBothBonus);
                candidates.Add((i, cost, iou));
            }

            if (candidates.Count == 0)
            {
                continue;
            }

            var k = Math.Max(1, (int)candidates.Select(c => c.Iou).OrderDescending().Take(10).Sum());
            foreach (var (location, cost, _) in candidates.OrderBy(c => c.Cost).Take(k))
            {
                if (cost < bestCost[location])
                {
                    bestCost[location] = cost;
                    owner[location] = o;
                }
            }
        }

        return DetectionTargets.WriteOwned(objects, owner, _labels, positive, boxes, classes);
    }

    // YOLOX: centre (offset + cell)·stride, size e^(log size)·stride.
    private (float X1, float Y1, float X2, float Y2) CentreSizeBox(ReadOnlySpan<float> r, int i, float stride)
    {
        var (bx, by) = ((r[0] + _cells[2 * i]) * stride, (r[1] + _cells[(2 * i) + 1]) * stride);
        var (bw, bh) = (MathF.Exp(Math.Min(r[2], 10f)) * stride, MathF.Exp(Math.Min(r[3], 10f)) * stride);
        return (bx - (bw / 2), by - (bh / 2), bx + (bw / 2), by + (bh / 2));
    }

    // YOLOv5: centre (2σ − 0.5 + cell)·stride, size (2σ)²·anchor.
    private (float X1, float Y1, float X2, float Y2) AnchorBox(ReadOnlySpan<float> r, int i, float stride)
    {
        var (bx, by) = (((2f * Sigmoid(r[0])) - 0.5f + _cells[2 * i]) * stride, ((2f * Sigmoid(r[1])) - 0.5f + _cells[(2 * i) + 1]) * stride);
        var (sx, sy) = (2f * Sigmoid(r[2]), 2f * Sigmoid(r[3]));
        var (bw, bh) = (sx * sx * _anchorSizes![2 * i], sy * sy * _anchorSizes[(2 * i) + 1]);
        return (bx - (bw / 2), by - (bh / 2), bx + (bw / 2), by + (bh / 2));
    }

    // YOLOv8: each side's expected distance (softmax over its bins) in strides from the anchor point.
    private (float X1, float Y1, float X2, float Y2) DistanceBox(ReadOnlySpan<float> r, float px, float py, float stride)
    {
        Span<float> d = stackalloc float[4];
        for (var side = 0; side < 4; side++)
        {
            var bins = r.Slice(side * RegMax, RegMax);
            var max = float.NegativeInfinity;
            foreach (var v in bins)
            {
                max = Math.Max(max, v);
            }

            var (sum, weighted) = (0f, 0f);
            for (var k = 0; k < bins.Length; k++)
            {
                var p = MathF.Exp(bins[k] - max);
                sum += p;
                weighted += p * k;
            }

            d[side] = weighted / sum * stride;
        }

        return (px - d[0], py - d[1], px + d[2], py + d[3]);
    }

    private static float Sigmoid(float x) => 1f / (1f + MathF.Exp(-x));

    private static float Iou(InputBox a, float x1, float y1, float x2, float y2)
    {
        var w = Math.Min(a.X2, x2) - Math.Max(a.X1, x1);
        var h = Math.Min(a.Y2, y2) - Math.Max(a.Y1, y1);
        if (w <= 0 || h <= 0)
        {
            return 0f;
        }

        var inter = w * h;
        return inter / ((a.Width * a.Height) + ((x2 - x1) * (y2 - y1)) - inter);
    }

    /// <inheritdoc />
    public void Dispose() => _teacher.Dispose();
}
