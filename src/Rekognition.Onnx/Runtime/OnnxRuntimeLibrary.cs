using Microsoft.ML.OnnxRuntime;

namespace Rekognition.Onnx.Runtime;

/// <summary>
/// The native ONNX Runtime library. The Rekognition packages reference only ONNX Runtime's managed API, so the
/// application chooses the native build (the CPU package, or a GPU one); this turns its absence into a message
/// that says which package to add, instead of a bare <see cref="DllNotFoundException"/>.
/// </summary>
internal static class OnnxRuntimeLibrary
{
    private static readonly Lazy<Exception?> LoadFailure = new(TryLoad);

    /// <summary>Throws <see cref="InvalidOperationException"/> naming the packages to add when the native library cannot load.</summary>
    public static void EnsureLoaded()
    {
        if (LoadFailure.Value is { } failure)
        {
            throw new InvalidOperationException(
                "The native ONNX Runtime library cannot be loaded. Rekognition.Onnx references only ONNX Runtime's managed API: add the native runtime "
                + "to the application, Microsoft.ML.OnnxRuntime for CPUs or Microsoft.ML.OnnxRuntime.Gpu (.Gpu.Linux, .Gpu.Windows) for CUDA, "
                + "at the version Rekognition.Onnx was built with. (" + failure.Message + ")", failure);
        }
    }

    private static Exception? TryLoad()
    {
        try
        {
            _ = OrtEnv.Instance().GetVersionString();
            return null;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException or TypeInitializationException or BadImageFormatException)
        {
            return ex is TypeInitializationException { InnerException: { } inner } ? inner : ex;
        }
    }
}
