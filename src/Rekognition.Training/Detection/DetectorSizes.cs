using Rekognition.Core.Models;
using Rekognition.Onnx.Ir;

namespace Rekognition.Training.Detection;

/// <summary>
/// The detector network at another square input size for multi-scale training: the same graph and initializers with its
/// image input and raw output declared at that size (a convolutional detector's ops do not depend on it), its grid and
/// its input spec. Training graphs built from it take the same parameters by name.
/// </summary>
internal static class DetectorSizes
{
    /// <summary>
    /// <paramref name="network"/> (input <paramref name="spec"/>'s, output <see cref="DetectorNetwork.RawOutput"/>, on
    /// <paramref name="grid"/>'s strides) at <paramref name="size"/>×<paramref name="size"/>.
    /// </summary>
    public static (ModelProto Network, DetectionGrid Grid, ModelInputSpec Spec) AtSize(ModelProto network, ModelInputSpec spec, DetectionGrid grid, int size)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(grid);
        var sized = new DetectionGrid(size, size, grid.Strides, grid.Anchors);
        var model = network.Clone();
        var input = model.Graph.Input.FirstOrDefault(i => i.Name == spec.Name)
                    ?? throw new ArgumentException($"The network has no input {spec.Name}.", nameof(spec));
        var output = model.Graph.Output.FirstOrDefault(o => o.Name == DetectorNetwork.RawOutput)
                     ?? throw new ArgumentException($"The network has no output {DetectorNetwork.RawOutput}.", nameof(network));
        var inputDims = input.Type.TensorType.Shape.Dim;
        var outputDims = output.Type.TensorType.Shape.Dim;
        if (inputDims.Count != 4 || outputDims.Count != 3)
        {
            throw new ArgumentException("The network's image input must be [N, 3, H, W] and its raw output [N, locations, values].", nameof(network));
        }

        inputDims[2] = new TensorShapeProto.Types.Dimension { DimValue = size };
        inputDims[3] = new TensorShapeProto.Types.Dimension { DimValue = size };
        outputDims[1] = new TensorShapeProto.Types.Dimension { DimValue = sized.Count };
        var sizedSpec = new ModelInputSpec
        {
            Name = spec.Name, Width = size, Height = size, Layout = spec.Layout, Bgr = spec.Bgr, Resize = spec.Resize, Interpolation = spec.Interpolation,
            LetterboxTopLeft = spec.LetterboxTopLeft, CropFraction = spec.CropFraction, PadValue = spec.PadValue, Scale = spec.Scale,
            Mean = (float[])spec.Mean.Clone(), Std = (float[])spec.Std.Clone(),
        };
        return (model, sized, sizedSpec);
    }
}
