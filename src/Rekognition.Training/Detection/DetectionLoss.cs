using Rekognition.Onnx.Ir;
using Rekognition.Training.Graphs;
using Rekognition.Training.Losses;

namespace Rekognition.Training.Detection;

/// <summary>
/// The detector's loss on its raw output [N, locations, 5 + labels], written forward only (the engine
/// differentiates it): each row's box is decoded as YOLOX does — centre (offset + cell)·stride, size
/// e^(log size)·stride — and compared with its object's box by GIoU at positive locations; objectness is
/// binary cross-entropy (or focal) at every location against "is positive"; classes are binary
/// cross-entropy at positive locations against the one-hot label. The sum is scaled by one over the
/// batch's positive locations (<see cref="NormalizerInput"/>), with the box term weighted
/// <see cref="BoxWeight"/> as YOLOX weights its IoU term.
/// </summary>
internal sealed class DetectionLoss : DifferentiableLoss
{
    /// <summary>Input [N, locations]: 1 where a location learns an object.</summary>
    public const string PositiveInput = "det_positive";

    /// <summary>Input [N, locations, 4]: the object's box (x1, y1, x2, y2, input pixels) at positive locations.</summary>
    public const string BoxesInput = "det_boxes";

    /// <summary>Input [N, locations, labels]: the object's one-hot label at positive locations.</summary>
    public const string ClassesInput = "det_classes";

    /// <summary>Scalar input: one over the batch's number of positive locations (at least one).</summary>
    public const string NormalizerInput = "det_normalizer";

    // e^10 strides is far beyond any input; the cap keeps an untrained row from overflowing to infinity.
    private const float MaxLogSize = 10f;

    private readonly DetectionGrid _grid;
    private readonly int _labels;

    /// <summary>Creates the loss for <paramref name="grid"/> and <paramref name="labels"/> classes.</summary>
    public DetectionLoss(DetectionGrid grid, int labels)
    {
        _grid = grid ?? throw new ArgumentNullException(nameof(grid));
        _labels = labels;
    }

    /// <summary>Weight of the GIoU term against the objectness and class terms.</summary>
    public float BoxWeight { get; init; } = 5f;

    /// <summary>Focal γ on the objectness term (0: plain binary cross-entropy).</summary>
    public float ObjectnessFocalGamma { get; init; }

    internal override string EmitForward(GraphEmitter emit, string output, long[] outputShape, List<ValueInfoProto> inputs)
    {
        var e = emit;
        if (outputShape.Length != 3 || outputShape[1] != _grid.Count || outputShape[2] != 5 + _labels)
        {
            throw new ArgumentException($"The detector output must be [N, {_grid.Count}, {5 + _labels}]; it is [{string.Join(", ", outputShape)}].");
        }

        var (n, l, width) = (outputShape[0], outputShape[1], outputShape[2]);

        inputs.Add(OnnxTensors.ValueInfo(PositiveInput, OnnxTensors.Float, new[] { n, l }));
        inputs.Add(OnnxTensors.ValueInfo(BoxesInput, OnnxTensors.Float, new[] { n, l, 4L }));
        inputs.Add(OnnxTensors.ValueInfo(ClassesInput, OnnxTensors.Float, new[] { n, l, (long)_labels }));
        inputs.Add(OnnxTensors.ValueInfo(NormalizerInput, OnnxTensors.Float, Array.Empty<long>()));

        string Columns(long from, long to) => DetectionRows.Columns(e, output, from, to);
        var predicted = DetectionRows.Boxes(e, output, _grid, MaxLogSize);

        var boxTerm = LossTerms.SumAll(e, e.Mul(LossTerms.GeneralizedIoULoss(e, predicted, BoxesInput), PositiveInput));
        var objectness = e.Op("Squeeze", new[] { Columns(4, 5), e.Int64s(2) });
        var objectTerm = LossTerms.SumAll(e, ObjectnessFocalGamma > 0
            ? LossTerms.SigmoidFocal(e, objectness, PositiveInput, alpha: null, ObjectnessFocalGamma)
            : LossTerms.BinaryCrossEntropyWithLogits(e, objectness, PositiveInput));
        var classTerm = LossTerms.SumAll(e, e.Mul(LossTerms.BinaryCrossEntropyWithLogits(e, Columns(5, width), ClassesInput),
            e.Op("Unsqueeze", new[] { PositiveInput, e.Int64s(2) })));

        var total = e.Add(e.Add(e.Mul(boxTerm, e.Scalar(BoxWeight)), objectTerm), classTerm);
        return e.Mul(total, NormalizerInput);
    }
}
