namespace Rekognition.Onnx.Runtime;

/// <summary>A preferred execution provider is missing and <see cref="MissingProviderBehavior.Fail"/> was asked for.</summary>
public sealed class ExecutionProviderUnavailableException : InvalidOperationException
{
    /// <summary>An exception naming the missing provider and those that are available.</summary>
    public ExecutionProviderUnavailableException(string provider, IReadOnlyCollection<string> available, Exception? innerException = null)
        : base($"The execution provider {provider} is not available in this ONNX Runtime build (available: {string.Join(", ", available)}). " +
               "Install the ONNX Runtime package that has it (and its drivers), remove it from OnnxRuntimeOptions.ExecutionProviders, " +
               "or set MissingProvider to FallbackToCpu." + (innerException is null ? string.Empty : $" ({innerException.Message})"), innerException)
    {
        Provider = provider;
        Available = available;
    }

    /// <summary>An exception with a message of its own.</summary>
    public ExecutionProviderUnavailableException(string message)
        : base(message)
    {
        Provider = string.Empty;
        Available = Array.Empty<string>();
    }

    /// <summary>An exception with a message of its own and its cause.</summary>
    public ExecutionProviderUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
        Provider = string.Empty;
        Available = Array.Empty<string>();
    }

    /// <summary>An exception with the default message.</summary>
    public ExecutionProviderUnavailableException()
        : this("An execution provider is not available.")
    {
    }

    /// <summary>The provider asked for, as ONNX Runtime names it.</summary>
    public string Provider { get; }

    /// <summary>The providers this ONNX Runtime build has.</summary>
    public IReadOnlyCollection<string> Available { get; }
}
