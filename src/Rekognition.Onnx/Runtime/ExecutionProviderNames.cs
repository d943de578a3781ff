namespace Rekognition.Onnx.Runtime;

/// <summary>Short execution-provider names people write, and the names ONNX Runtime reports.</summary>
public static class ExecutionProviderNames
{
    /// <summary>ONNX Runtime's name of the CPU provider, present in every build.</summary>
    public const string Cpu = "CPUExecutionProvider";

    private static readonly Dictionary<string, string> ByShortName = new(StringComparer.OrdinalIgnoreCase)
    {
        ["CPU"] = Cpu,
        ["CUDA"] = "CUDAExecutionProvider",
        ["TensorRT"] = "TensorrtExecutionProvider",
        ["DirectML"] = "DmlExecutionProvider",
        ["DML"] = "DmlExecutionProvider",
        ["OpenVINO"] = "OpenVINOExecutionProvider",
        ["CoreML"] = "CoreMLExecutionProvider",
        ["ROCm"] = "ROCMExecutionProvider",
        ["MIGraphX"] = "MIGraphXExecutionProvider",
        ["DNNL"] = "DnnlExecutionProvider",
        ["NNAPI"] = "NnapiExecutionProvider",
        ["QNN"] = "QNNExecutionProvider",
        ["XNNPACK"] = "XnnpackExecutionProvider",
        ["WebGPU"] = "WebGpuExecutionProvider",
    };

    /// <summary>
    /// ONNX Runtime's name for <paramref name="name"/> (a short name or already ONNX Runtime's name);
    /// <see cref="ArgumentException"/> for a name that is neither.
    /// </summary>
    public static string ToOrtName(string name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ArgumentException("An execution provider name is empty.", nameof(name));
        }

        if (ByShortName.TryGetValue(name.Trim(), out var ort))
        {
            return ort;
        }

        if (name.EndsWith("ExecutionProvider", StringComparison.Ordinal))
        {
            return name;
        }

        throw new ArgumentException(
            $"'{name}' is not an execution provider name. Use one of {string.Join(", ", ByShortName.Keys)}, or ONNX Runtime's full name (e.g. CUDAExecutionProvider).",
            nameof(name));
    }

    /// <summary>The short name of ONNX Runtime's <paramref name="ortName"/> (the name without its suffix when it has none).</summary>
    public static string ToShortName(string ortName)
    {
        foreach (var (shortName, ort) in ByShortName)
        {
            if (ort == ortName)
            {
                return shortName;
            }
        }

        return ortName.Replace("ExecutionProvider", string.Empty, StringComparison.Ordinal);
    }
}
