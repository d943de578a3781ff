using System.Runtime.InteropServices;

namespace Rekognition.Training.Kernels;

/// <summary>
/// ONNX Runtime's struct OrtCustomOp (onnxruntime_c_api.h, 1.32.0): a version and a table of callbacks that
/// describe one custom operator, in the header's member order, followed by this library's index of the kernel
/// it describes (ONNX Runtime hands the struct's address back to every callback).
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct OrtCustomOp
{
    public uint Version;
    public delegate* unmanaged<OrtCustomOp*, nint, nint, nint> CreateKernel;
    public delegate* unmanaged<OrtCustomOp*, nint> GetName;
    public delegate* unmanaged<OrtCustomOp*, nint> GetExecutionProviderType;
    public delegate* unmanaged<OrtCustomOp*, nuint, int> GetInputType;
    public delegate* unmanaged<OrtCustomOp*, nuint> GetInputTypeCount;
    public delegate* unmanaged<OrtCustomOp*, nuint, int> GetOutputType;
    public delegate* unmanaged<OrtCustomOp*, nuint> GetOutputTypeCount;
    public delegate* unmanaged<nint, nint, void> KernelCompute;
    public delegate* unmanaged<nint, void> KernelDestroy;
    public delegate* unmanaged<OrtCustomOp*, nuint, int> GetInputCharacteristic;
    public delegate* unmanaged<OrtCustomOp*, nuint, int> GetOutputCharacteristic;
    public delegate* unmanaged<OrtCustomOp*, nuint, int> GetInputMemoryType;
    public delegate* unmanaged<OrtCustomOp*, int> GetVariadicInputMinArity;
    public delegate* unmanaged<OrtCustomOp*, int> GetVariadicInputHomogeneity;
    public delegate* unmanaged<OrtCustomOp*, int> GetVariadicOutputMinArity;
    public delegate* unmanaged<OrtCustomOp*, int> GetVariadicOutputHomogeneity;
    public delegate* unmanaged<OrtCustomOp*, nint, nint, nint*, nint> CreateKernelV2;
    public delegate* unmanaged<nint, nint, nint> KernelComputeV2;
    public delegate* unmanaged<OrtCustomOp*, nint, nint> InferOutputShapeFn;
    public delegate* unmanaged<OrtCustomOp*, int> GetStartVersion;
    public delegate* unmanaged<OrtCustomOp*, int> GetEndVersion;
    public delegate* unmanaged<int**, int**, nuint> GetMayInplace;
    public delegate* unmanaged<int*, int*, void> ReleaseMayInplace;
    public delegate* unmanaged<int**, int**, nuint> GetAliasMap;
    public delegate* unmanaged<int*, int*, void> ReleaseAliasMap;

    /// <summary>Not ONNX Runtime's: which registered <see cref="CustomKernel"/> this struct describes.</summary>
    public int KernelIndex;
}
