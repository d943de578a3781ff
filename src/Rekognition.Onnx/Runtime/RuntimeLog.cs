using Microsoft.Extensions.Logging;

namespace Rekognition.Onnx.Runtime;

/// <summary>The ONNX Runtime setup's log messages (event ids 200-299).</summary>
internal static partial class RuntimeLog
{
    [LoggerMessage(EventId = 201, Level = LogLevel.Warning, Message = "The execution provider {Provider} is not available (available: {Available}); going on without it")]
    public static partial void ProviderUnavailable(ILogger logger, Exception? exception, string provider, string available);
}
