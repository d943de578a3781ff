using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;

namespace Rekognition.Training.Kernels;

/// <summary>
/// ONNX Runtime's C function table (OrtApi), reached through OrtGetApiBase in the native library the managed
/// package already loaded. Only the entries custom kernels need are wrapped; their positions are those of
/// onnxruntime_c_api.h (the table only ever grows at its end, so they hold for every runtime that has them).
/// </summary>
internal static unsafe class OrtApiTable
{
    /// <summary>The API version asked for: 17 is the first with KernelContext_ParallelFor.</summary>
    public const uint Version = 17;

    // Positions in struct OrtApi (onnxruntime_c_api.h, 1.32.0).
    private const int CreateStatusIndex = 0;
    private const int GetErrorMessageIndex = 2;
    private const int CreateCustomOpDomainIndex = 26;
    private const int CustomOpDomainAddIndex = 27;
    private const int AddCustomOpDomainIndex = 28;
    private const int GetTensorMutableDataIndex = 51;
    private const int GetDimensionsCountIndex = 61;
    private const int GetDimensionsIndex = 62;
    private const int GetTensorTypeAndShapeIndex = 65;
    private const int KernelInfoGetAttributeInt64Index = 86;
    private const int KernelContextGetInputIndex = 90;
    private const int KernelContextGetOutputIndex = 91;
    private const int ReleaseStatusIndex = 93;
    private const int ReleaseTensorTypeAndShapeInfoIndex = 99;
    private const int KernelContextParallelForIndex = 274;

    private static readonly Lazy<nint> Table = new(Load);

    /// <summary>Whether the table could be loaded (throws what loading threw otherwise).</summary>
    public static bool IsLoaded => Table.Value != 0;

    /// <summary>The OrtApi table, loaded on first use.</summary>
    public static void** Api => (void**)Table.Value;

    /// <summary>OrtApi::CreateStatus: an error status for ONNX Runtime to report (ORT_FAIL).</summary>
    public static nint CreateStatus(string message)
    {
        var text = Marshal.StringToCoTaskMemUTF8(message);
        try
        {
            return ((delegate* unmanaged<int, nint, nint>)Api[CreateStatusIndex])(1, text);
        }
        finally
        {
            Marshal.FreeCoTaskMem(text);
        }
    }

    public static nint CreateCustomOpDomain(nint name)
    {
        nint domain;
        Check(((delegate* unmanaged<nint, nint*, nint>)Api[CreateCustomOpDomainIndex])(name, &domain));
        return domain;
    }

    public static void CustomOpDomainAdd(nint domain, nint op) =>
        Check(((delegate* unmanaged<nint, nint, nint>)Api[CustomOpDomainAddIndex])(domain, op));

    public static void AddCustomOpDomain(SessionOptions options, nint domain)
    {
        var added = false;
        options.DangerousAddRef(ref added);
        try
        {
            Check(((delegate* unmanaged<nint, nint, nint>)Api[AddCustomOpDomainIndex])(options.DangerousGetHandle(), domain));
        }
        finally
        {
            if (added)
            {
                options.DangerousRelease();
            }
        }
    }

    public static long GetAttributeInt64(nint info, nint name)
    {
        long value;
        Check(((delegate* unmanaged<nint, nint, long*, nint>)Api[KernelInfoGetAttributeInt64Index])(info, name, &value));
        return value;
    }

    public static nint KernelInput(nint context, int index)
    {
        nint value;
        Check(((delegate* unmanaged<nint, nuint, nint*, nint>)Api[KernelContextGetInputIndex])(context, (nuint)index, &value));
        return value;
    }

    public static nint KernelOutput(nint context, int index, ReadOnlySpan<long> dims)
    {
        nint value;
        fixed (long* d = dims)
        {
            Check(((delegate* unmanaged<nint, nuint, long*, nuint, nint*, nint>)Api[KernelContextGetOutputIndex])(context, (nuint)index, d, (nuint)dims.Length, &value));
        }

        return value;
    }

    public static float* TensorData(nint value)
    {
        void* data;
        Check(((delegate* unmanaged<nint, void**, nint>)Api[GetTensorMutableDataIndex])(value, &data));
        return (float*)data;
    }

    public static long[] TensorShape(nint value)
    {
        nint info;
        Check(((delegate* unmanaged<nint, nint*, nint>)Api[GetTensorTypeAndShapeIndex])(value, &info));
        try
        {
            nuint count;
            Check(((delegate* unmanaged<nint, nuint*, nint>)Api[GetDimensionsCountIndex])(info, &count));
            var dims = new long[(int)count];
            fixed (long* d = dims)
            {
                Check(((delegate* unmanaged<nint, long*, nuint, nint>)Api[GetDimensionsIndex])(info, d, count));
            }

            return dims;
        }
        finally
        {
            ((delegate* unmanaged<nint, void>)Api[ReleaseTensorTypeAndShapeInfoIndex])(info);
        }
    }

    /// <summary>OrtApi::KernelContext_ParallelFor: <paramref name="body"/>(data, i) for i in [0, total) on the session's intra-op pool.</summary>
    public static void ParallelFor(nint context, delegate* unmanaged<void*, nuint, void> body, int total, void* data) =>
        Check(((delegate* unmanaged<nint, delegate* unmanaged<void*, nuint, void>, nuint, nuint, void*, nint>)Api[KernelContextParallelForIndex])(
            context, body, (nuint)total, 0, data));

    /// <summary>Throws the message of a non-null OrtStatus (and releases it).</summary>
    private static void Check(nint status)
    {
        if (status == 0)
        {
            return;
        }

        var message = Marshal.PtrToStringUTF8(((delegate* unmanaged<nint, nint>)Api[GetErrorMessageIndex])(status));
        ((delegate* unmanaged<nint, void>)Api[ReleaseStatusIndex])(status);
        throw new InvalidOperationException(message ?? "An ONNX Runtime call failed.");
    }

    private static nint Load()
    {
        // The library the managed package binds to: resolved as its own DllImports are (the app's runtimes/ folder).
        var assembly = typeof(InferenceSession).Assembly;
        if (!NativeLibrary.TryLoad("onnxruntime", assembly, DllImportSearchPath.SafeDirectories | DllImportSearchPath.AssemblyDirectory, out var library)
            || !NativeLibrary.TryGetExport(library, "OrtGetApiBase", out var getApiBase))
        {
            throw new DllNotFoundException("The ONNX Runtime native library (onnxruntime) was not found: reference Microsoft.ML.OnnxRuntime (CPU) or a GPU package in the application.");
        }

        // OrtApiBase { const OrtApi* (*GetApi)(uint32_t version); const char* (*GetVersionString)(void); }
        var apiBase = ((delegate* unmanaged<void**>)getApiBase)();
        var api = ((delegate* unmanaged<uint, nint>)apiBase[0])(Version);
        if (api == 0)
        {
            var version = Marshal.PtrToStringUTF8(((delegate* unmanaged<nint>)apiBase[1])());
            throw new NotSupportedException($"ONNX Runtime {version} does not offer API version {Version} (custom kernels need 1.17 or later).");
        }

        return api;
    }
}
