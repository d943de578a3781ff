using Microsoft.Extensions.Logging;
using Rekognition.Core.Models;
using Rekognition.Imaging.Decoding;

namespace Rekognition.Training.Trainers;

/// <summary>The training engine's log messages (event ids 1-99).</summary>
internal static partial class TrainingLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Training a {Kind} model on {Backbone} with {TrainImages} images and {Labels} labels ({Epochs} epochs, images decoded by {Decoder})")]
    public static partial void Started(ILogger logger, ModelKind kind, string backbone, int trainImages, int labels, int epochs, IImageDecoder decoder);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Training finished in {Seconds:0.#} s after {Epochs} epochs, final loss {Loss:0.####}")]
    public static partial void Finished(ILogger logger, double seconds, int epochs, float loss);

    [LoggerMessage(EventId = 3, Level = LogLevel.Debug, Message = "Epoch {Epoch}/{Epochs}: loss {Loss:0.####} in {Seconds:0.##} s")]
    public static partial void EpochFinished(ILogger logger, int epoch, int epochs, float loss, double seconds);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "Resumed from the checkpoint taken after epoch {Epoch}")]
    public static partial void Resumed(ILogger logger, int epoch);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "The checkpoint after epoch {Epoch} could not be saved; training goes on but cannot resume from it")]
    public static partial void CheckpointFailed(ILogger logger, Exception exception, int epoch);

    [LoggerMessage(EventId = 6, Level = LogLevel.Error, Message = "Training stopped early at epoch {Epoch}, step {Step}: the loss is {Loss} (the model diverged)")]
    public static partial void Diverged(ILogger logger, int epoch, int step, float loss);

    [LoggerMessage(EventId = 7, Level = LogLevel.Information, Message = "Exported the model: {Nodes} ONNX nodes, {Labels} labels")]
    public static partial void Exported(ILogger logger, int nodes, int labels);

    [LoggerMessage(EventId = 8, Level = LogLevel.Information, Message = "Extracted the backbone's features of {Images} images in {Seconds:0.#} s (kept in {Cache})")]
    public static partial void FeaturesExtracted(ILogger logger, int images, double seconds, string cache);
}
