using Microsoft.Extensions.Logging;

namespace Rekognition.Onnx.Hosting;

/// <summary>The serving side's detect-time log messages (event ids 100-199).</summary>
internal static partial class DetectLog
{
    [LoggerMessage(EventId = 101, Level = LogLevel.Debug, Message = "Detect: a {Width}x{Height} image decoded as {Decoding}")]
    public static partial void Decoded(ILogger logger, int width, int height, string decoding);

    [LoggerMessage(EventId = 102, Level = LogLevel.Error, Message = "Detect: the model failed to run on an inference unit; the unit is replaced")]
    public static partial void RunFailed(ILogger logger, Exception exception);
}
