namespace Rekognition.Training.Kernels;

/// <summary>The custom kernels training graphs may use, and their domain.</summary>
internal static class TrainingKernels
{
    /// <summary>The custom domain of the training kernels.</summary>
    public const string Domain = "com.rekognition.training";

    private static readonly Lazy<bool> Loaded = new(() =>
    {
        try
        {
            return OrtApiTable.IsLoaded;
        }
        catch (Exception ex) when (ex is DllNotFoundException or NotSupportedException or EntryPointNotFoundException)
        {
            return false;
        }
    });

    /// <summary>
    /// Whether the loaded ONNX Runtime can take the kernels and the processor runs their 256-bit vectors natively (without
    /// that, ONNX Runtime's own kernels are faster); checked when a graph is built, never while it runs.
    /// </summary>
    public static bool Available => System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated && Loaded.Value;

    /// <summary>Every kernel of the domain.</summary>
    public static IReadOnlyList<CustomKernel> All { get; } = new CustomKernel[] { new ConvWeightGradientKernel(), new BatchNormGradientKernel(relu: false), new BatchNormGradientKernel(relu: true), new BatchNormGradientKernel(relu: true, summed: true), new ReluGradientKernel(summed: false), new ReluGradientKernel(summed: true), new BatchNormForwardKernel(relu: false), new BatchNormForwardKernel(relu: true), new BatchNormForwardKernel(relu: true, residual: true), new ColumnsKernel() };
}
