using Rekognition.Onnx.Ir;
using Rekognition.Training.Graphs;
using Rekognition.Training.Losses;

namespace Rekognition.Training.Detection;

/// <summary>
/// A YOLOv8-style detector's loss on its raw rows [N, locations, 4·regMax + labels] (<see cref="DflRows"/>), written
/// forward only (the engine differentiates it), with the targets <see cref="DetectionLoss"/> takes (the same inputs, so the
/// same batches and assignments feed it): at positive locations, the GIoU loss of the decoded box and the distribution
/// focal loss of each side's distance (cross-entropy of the side's bins against the two bins around the target distance,
/// weighted by nearness, as YOLOv8 trains its DFL); at every location, binary cross-entropy of the class logits against
/// the one-hot label (no objectness: background is all classes off). The terms weigh 7.5, 1.5 and 0.5, YOLOv8's gains,
/// and their sum is scaled by one over the batch's positive locations.
/// </summary>
internal sealed class DflDetectionLoss : DifferentiableLoss
{
    // A target distance stays just below the last bin, so its upper neighbour bin exists.
    private const float LastBinMargin = 0.01f;

    private readonly DetectionGrid _grid;
    private readonly int _labels;
    private readonly int _regMax;

    /// <summary>Creates the loss for <paramref name="grid"/>, <paramref name="labels"/> classes and <paramref name="regMax"/> bins per side.</summary>
    public DflDetectionLoss(DetectionGrid grid, int labels, int regMax)
    {
        _grid = grid ?? throw new ArgumentNullException(nameof(grid));
        _labels = labels;
        _regMax = regMax > 0 ? regMax : throw new ArgumentOutOfRangeException(nameof(regMax), "A distribution needs at least one bin.");
    }

    /// <summary>Weight of the GIoU term.</summary>
    public float BoxWeight { get; init; } = 7.5f;

    /// <summary>Weight of the distribution focal term.</summary>
    public float DistributionWeight { get; init; } = 1.5f;

    /// <summary>Weight of the class term.</summary>
    public float ClassWeight { get; init; } = 0.5f;

    internal override string EmitForward(GraphEmitter emit, string output, long[] outputShape, List<ValueInfoProto> inputs)
    {
        var e = emit;
        var boxColumns = 4L * _regMax;
        if (outputShape.Length != 3 || outputShape[1] != _grid.Count || outputShape[2] != boxColumns + _labels)
        {
            throw new ArgumentException($"The detector output must be [N, {_grid.Count}, {boxColumns + _labels}]; it is [{string.Join(", ", outputShape)}].");
        }

        var (n, l) = (outputShape[0], outputShape[1]);
        inputs.Add(OnnxTensors.ValueInfo(DetectionLoss.PositiveInput, OnnxTensors.Float, new[] { n, l }));
        inputs.Add(OnnxTensors.ValueInfo(DetectionLoss.BoxesInput, OnnxTensors.Float, new[] { n, l, 4L }));
        inputs.Add(OnnxTensors.ValueInfo(DetectionLoss.ClassesInput, OnnxTensors.Float, new[] { n, l, (long)_labels }));
        inputs.Add(OnnxTensors.ValueInfo(DetectionLoss.NormalizerInput, OnnxTensors.Float, Array.Empty<long>()));
        var positive = DetectionLoss.PositiveInput;

        var predicted = DflRows.Boxes(e, output, _grid, _regMax);
        var boxTerm = LossTerms.SumAll(e, e.Mul(LossTerms.GeneralizedIoULoss(e, predicted, DetectionLoss.BoxesInput), positive));

        // Target distances (left, top, right, bottom) in strides, [N, L, 4]; each side's target over the bins is
        // max(0, 1 − |distance − bin|): the two bins around the distance, weighted by nearness.
        var (anchors, strides) = DflRows.AnchorPoints(e, _grid);
        var target = DetectionLoss.BoxesInput;
        var leftTop = e.Sub(anchors, DetectionRows.Columns(e, target, 0, 2));
        var rightBottom = e.Sub(DetectionRows.Columns(e, target, 2, 4), anchors);
        var distances = e.Div(e.Op("Concat", new[] { leftTop, rightBottom }, OnnxAttributes.Int("axis", 2)), strides);
        distances = e.Op("Clip", new[] { distances, e.Scalar(0f), e.Scalar(_regMax - 1 - LastBinMargin) });
        var nearness = e.Op("Relu", new[] { e.Sub(e.Scalar(1f), e.Op("Abs", new[] { e.Sub(e.Op("Unsqueeze", new[] { distances, e.Int64s(-1) }), DflRows.Bins(e, _regMax)) })) });
        var logProbabilities = e.Op("LogSoftmax", new[] { DflRows.DistanceLogits(e, output, _grid, _regMax) }, OnnxAttributes.Int("axis", -1));
        var perLocation = e.Mul(e.ReduceSum(e.Mul(nearness, logProbabilities), new long[] { 2, 3 }, keepDims: false), e.Scalar(-0.25f));
        var distributionTerm = LossTerms.SumAll(e, e.Mul(perLocation, positive));

        var classes = DetectionRows.Columns(e, output, boxColumns, boxColumns + _labels);
        var classTerm = LossTerms.SumAll(e, LossTerms.BinaryCrossEntropyWithLogits(e, classes, DetectionLoss.ClassesInput));

        var total = e.Add(e.Add(e.Mul(boxTerm, e.Scalar(BoxWeight)), e.Mul(distributionTerm, e.Scalar(DistributionWeight))), e.Mul(classTerm, e.Scalar(ClassWeight)));
        return e.Mul(total, DetectionLoss.NormalizerInput);
    }
}
