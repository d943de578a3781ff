using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;
using Rekognition.Core.Model;

namespace Rekognition.Onnx.Runtime;

/// <summary>
/// Creates ONNX Runtime sessions for one model with the preferred execution providers. The providers are
/// chosen once, when the factory is made: missing ones are skipped with a warning or fail, as the options say.
/// </summary>
internal sealed class OnnxSessionFactory
{
    private readonly OnnxRuntimeOptions _options;
    private readonly int _threads;
    private readonly ILogger _logger;

    private OnnxSessionFactory(OnnxRuntimeOptions options, int threads, IReadOnlyList<string> providers, ILogger logger)
    {
        _options = options;
        _threads = threads;
        Providers = providers;
        _logger = logger;
    }

    /// <summary>The providers sessions are created with, in order, the CPU last.</summary>
    public IReadOnlyList<string> Providers { get; }

    /// <summary>
    /// Chooses the providers from the options and what this ONNX Runtime build has; throws
    /// <see cref="ExecutionProviderUnavailableException"/> for a missing one under <see cref="MissingProviderBehavior.Fail"/>.
    /// </summary>
    public static OnnxSessionFactory Create(OnnxRuntimeOptions options, int threadsPerSession, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        OnnxRuntimeLibrary.EnsureLoaded();
        var available = OrtEnv.Instance().GetAvailableProviders();
        var chosen = new List<string>();
        foreach (var name in options.ExecutionProviders)
        {
            var ort = ExecutionProviderNames.ToOrtName(name);
            if (ort == ExecutionProviderNames.Cpu || chosen.Contains(ort))
            {
                continue;
            }

            // Listed is not enough: CUDA, for one, is listed by GPU builds on machines without its libraries.
            Exception? failure = null;
            if (available.Contains(ort, StringComparer.Ordinal))
            {
                failure = TryAppend(ort, options.DeviceId);
                if (failure is null)
                {
                    chosen.Add(ort);
                    continue;
                }
            }

            if (options.MissingProvider == MissingProviderBehavior.Fail)
            {
                throw new ExecutionProviderUnavailableException(ort, available, failure);
            }

            RuntimeLog.ProviderUnavailable(logger, failure, ort, string.Join(", ", available));
        }

        chosen.Add(ExecutionProviderNames.Cpu);
        return new OnnxSessionFactory(options, threadsPerSession, chosen, logger);
    }

    /// <summary>Loads a session of the model in <paramref name="modelBytes"/>; a model ONNX Runtime rejects gets <see cref="InvalidParameterException"/>.</summary>
    public InferenceSession CreateSession(byte[] modelBytes, string modelName)
    {
        using var sessionOptions = CreateSessionOptions();
        try
        {
            return new InferenceSession(modelBytes, sessionOptions);
        }
        catch (OnnxRuntimeException ex)
        {
            throw new InvalidParameterException($"ONNX Runtime cannot load the model {modelName}: {ex.Message}", ex);
        }
    }

    private SessionOptions CreateSessionOptions()
    {
        var sessionOptions = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            IntraOpNumThreads = _threads,
            InterOpNumThreads = 1,
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
        };
        try
        {
            sessionOptions.AddSessionConfigEntry("session.intra_op.allow_spinning", _options.AllowThreadSpinning ? "1" : "0");
            foreach (var provider in Providers)
            {
                if (provider != ExecutionProviderNames.Cpu)
                {
                    Append(sessionOptions, provider, _options.DeviceId);
                }
            }

            return sessionOptions;
        }
        catch
        {
            sessionOptions.Dispose();
            throw;
        }
    }

    private static Exception? TryAppend(string provider, int deviceId)
    {
        using var probe = new SessionOptions();
        try
        {
            Append(probe, provider, deviceId);
            return null;
        }
        catch (Exception ex) when (ex is OnnxRuntimeException or EntryPointNotFoundException or DllNotFoundException or NotSupportedException)
        {
            return ex;
        }
    }

    private static void Append(SessionOptions options, string provider, int deviceId)
    {
        switch (provider)
        {
            case "CUDAExecutionProvider":
                options.AppendExecutionProvider_CUDA(deviceId);
                break;
            case "TensorrtExecutionProvider":
                options.AppendExecutionProvider_Tensorrt(deviceId);
                break;
            case "DmlExecutionProvider":
                options.AppendExecutionProvider_DML(deviceId);
                break;
            case "OpenVINOExecutionProvider":
                options.AppendExecutionProvider_OpenVINO(string.Empty);
                break;
            case "CoreMLExecutionProvider":
                options.AppendExecutionProvider_CoreML(CoreMLFlags.COREML_FLAG_USE_NONE);
                break;
            case "ROCMExecutionProvider":
                options.AppendExecutionProvider_ROCm(deviceId);
                break;
            case "MIGraphXExecutionProvider":
                options.AppendExecutionProvider_MIGraphX(deviceId);
                break;
            case "DnnlExecutionProvider":
                options.AppendExecutionProvider_Dnnl(1);
                break;
            default:
                // QNN, XNNPACK, WebGPU, ... register through the generic entry point by their short name.
                options.AppendExecutionProvider(ExecutionProviderNames.ToShortName(provider), new Dictionary<string, string>());
                break;
        }
    }
}
