using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;

namespace Rekognition.Training.Kernels;

/// <summary>
/// A custom-operator domain of kernels written in C#, registered with ONNX Runtime through its C API (an
/// OrtCustomOp per kernel whose callbacks are <see cref="UnmanagedCallersOnlyAttribute"/> methods), so no native
/// library is built or shipped. Add it to a session's options before the session is created.
/// </summary>
/// <remarks>
/// The domain and its op tables are native memory that every session created with it points into: they live as
/// long as the process (a domain is made once, see <see cref="Training"/>), never freed under a running session.
/// </remarks>
internal sealed unsafe class CustomOpDomain
{
    private const int FloatType = 1; // ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT
    private static readonly List<CustomKernel> Kernels = new();
    private static readonly List<nint> OpTypeNames = new();
    private static readonly Lazy<CustomOpDomain> TrainingDomain = new(() => new CustomOpDomain(TrainingKernels.Domain, TrainingKernels.All));
    private readonly nint _domain;

    /// <summary>Creates the domain <paramref name="name"/> with <paramref name="kernels"/> (once per process per domain).</summary>
    public CustomOpDomain(string name, IReadOnlyList<CustomKernel> kernels)
    {
        ArgumentNullException.ThrowIfNull(kernels);
        Name = name;
        _domain = OrtApiTable.CreateCustomOpDomain(Marshal.StringToCoTaskMemUTF8(name));
        foreach (var kernel in kernels)
        {
            int index;
            lock (Kernels)
            {
                index = Kernels.Count;
                Kernels.Add(kernel);
                OpTypeNames.Add(Marshal.StringToCoTaskMemUTF8(kernel.OpType));
            }

            var op = (OrtCustomOp*)NativeMemory.AllocZeroed((nuint)sizeof(OrtCustomOp));
            op->Version = OrtApiTable.Version;
            op->KernelIndex = index;
            op->GetName = &GetName;
            op->GetExecutionProviderType = &GetExecutionProviderType;
            op->GetInputType = &GetFloatType;
            op->GetInputTypeCount = &GetInputTypeCount;
            op->GetOutputType = &GetFloatType;
            op->GetOutputTypeCount = &GetOutputTypeCount;
            op->KernelDestroy = &KernelDestroy;
            op->GetInputCharacteristic = &Required;
            op->GetOutputCharacteristic = &Required;
            op->GetInputMemoryType = &DefaultMemory;
            op->GetVariadicInputMinArity = &One;
            op->GetVariadicInputHomogeneity = &One;
            op->GetVariadicOutputMinArity = &One;
            op->GetVariadicOutputHomogeneity = &One;
            op->CreateKernelV2 = &CreateKernel;
            op->KernelComputeV2 = &Compute;
            op->GetStartVersion = &One;
            op->GetEndVersion = &AnyVersion;
            OrtApiTable.CustomOpDomainAdd(_domain, (nint)op);
        }
    }

    /// <summary>The domain of this library's training kernels (see <see cref="TrainingKernels"/>).</summary>
    public static CustomOpDomain Training => TrainingDomain.Value;

    /// <summary>The domain's name, as nodes and the model's opset imports spell it.</summary>
    public string Name { get; }

    /// <summary>Lets sessions created with <paramref name="options"/> run this domain's nodes.</summary>
    public void AddTo(SessionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        OrtApiTable.AddCustomOpDomain(options, _domain);
    }

    private static CustomKernel KernelOf(OrtCustomOp* op)
    {
        lock (Kernels)
        {
            return Kernels[op->KernelIndex];
        }
    }

    [UnmanagedCallersOnly]
    private static nint GetName(OrtCustomOp* op)
    {
        lock (Kernels)
        {
            return OpTypeNames[op->KernelIndex];
        }
    }

    // Null: the CPU execution provider.
    [UnmanagedCallersOnly]
    private static nint GetExecutionProviderType(OrtCustomOp* op) => 0;

    [UnmanagedCallersOnly]
    private static int GetFloatType(OrtCustomOp* op, nuint index) => FloatType;

    [UnmanagedCallersOnly]
    private static nuint GetInputTypeCount(OrtCustomOp* op) => (nuint)KernelOf(op).Inputs;

    [UnmanagedCallersOnly]
    private static nuint GetOutputTypeCount(OrtCustomOp* op) => (nuint)KernelOf(op).Outputs;

    // INPUT_OUTPUT_REQUIRED.
    [UnmanagedCallersOnly]
    private static int Required(OrtCustomOp* op, nuint index) => 0;

    // OrtMemTypeDefault.
    [UnmanagedCallersOnly]
    private static int DefaultMemory(OrtCustomOp* op, nuint index) => 0;

    [UnmanagedCallersOnly]
    private static int One(OrtCustomOp* op) => 1;

    [UnmanagedCallersOnly]
    private static int AnyVersion(OrtCustomOp* op) => int.MaxValue;

    /// <summary>Reads the node's integer attributes into the kernel instance ONNX Runtime keeps for it.</summary>
    [UnmanagedCallersOnly]
    private static nint CreateKernel(OrtCustomOp* op, nint api, nint info, nint* kernel)
    {
        try
        {
            var definition = KernelOf(op);
            var attributes = new long[definition.IntAttributes.Count];
            for (var i = 0; i < attributes.Length; i++)
            {
                var name = Marshal.StringToCoTaskMemUTF8(definition.IntAttributes[i]);
                try
                {
                    attributes[i] = OrtApiTable.GetAttributeInt64(info, name);
                }
                finally
                {
                    Marshal.FreeCoTaskMem(name);
                }
            }

            *kernel = GCHandle.ToIntPtr(GCHandle.Alloc(new Instance(definition, attributes)));
            return 0;
        }
        catch (Exception ex)
        {
            return OrtApiTable.CreateStatus(ex.Message);
        }
    }

    [UnmanagedCallersOnly]
    private static nint Compute(nint kernel, nint context)
    {
        try
        {
            var instance = (Instance)GCHandle.FromIntPtr(kernel).Target!;
            instance.Kernel.Compute(new KernelContext(context), instance.Attributes);
            return 0;
        }
        catch (Exception ex)
        {
            return OrtApiTable.CreateStatus($"{ex.GetType().Name}: {ex.Message}");
        }
    }

    [UnmanagedCallersOnly]
    private static void KernelDestroy(nint kernel) => GCHandle.FromIntPtr(kernel).Free();

    private sealed record Instance(CustomKernel Kernel, long[] Attributes);
}
