using Microsoft.Extensions.Logging;

namespace Rekognition.Onnx.Hosting;

/// <summary>The serving side's log messages: detect calls, inference unit pools, model starts (event ids 100-199).</summary>
internal static partial class HostingLog
{
    [LoggerMessage(EventId = 101, Level = LogLevel.Debug, Message = "Detect: a {Width}x{Height} image decoded as {Decoding}")]
    public static partial void Decoded(ILogger logger, int width, int height, string decoding);

    [LoggerMessage(EventId = 102, Level = LogLevel.Error, Message = "Detect: the model failed to run on an inference unit; the unit is replaced")]
    public static partial void RunFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 103, Level = LogLevel.Warning, Message = "An inference unit's model failed mid-run; the unit is replaced")]
    public static partial void UnitReplaced(ILogger logger);

    [LoggerMessage(EventId = 104, Level = LogLevel.Error, Message = "Loading an extra inference unit failed")]
    public static partial void GrowthFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 105, Level = LogLevel.Information, Message = "Scaled up to {Units} inference units")]
    public static partial void ScaledUp(ILogger logger, int units);

    [LoggerMessage(EventId = 106, Level = LogLevel.Information, Message = "Scaled down to {Units} inference units")]
    public static partial void ScaledDown(ILogger logger, int units);

    [LoggerMessage(EventId = 107, Level = LogLevel.Information, Message = "Model {Model} runs on {Units} inference unit(s) (up to {Max}) with {Providers}, batches of up to {Batch}")]
    public static partial void ModelStarted(ILogger logger, string model, int units, int max, string providers, int batch);
}
