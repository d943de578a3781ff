namespace Rekognition.Onnx.Runtime;

/// <summary>What to do when a preferred execution provider cannot be used.</summary>
public enum MissingProviderBehavior
{
    /// <summary>Log a warning and go on with the next preferred provider, in the end the CPU.</summary>
    FallbackToCpu,

    /// <summary>Fail with <see cref="ExecutionProviderUnavailableException"/>, naming the providers this build has.</summary>
    Fail,
}
