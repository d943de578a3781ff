using Rekognition.Core.Inference;
using Rekognition.Core.Models;

namespace Rekognition.Core.Tests.TestSupport;

/// <summary>
/// An inference backend for lifecycle tests: hosts "run" by returning the predictions it was given, and
/// it records what was started and disposed. The ONNX backend has its own tests.
/// </summary>
internal sealed class FakeModelRuntime : IModelRuntime
{
    public List<FakeModelHost> Hosts { get; } = new();

    public IReadOnlyList<LabelPrediction> Predictions { get; set; } = Array.Empty<LabelPrediction>();

    public TimeSpan StartDelay { get; set; }

    public void Validate(ModelPackage package)
    {
    }

    public async Task<IModelHost> StartAsync(ModelPackage package, InferenceUnits units, CancellationToken cancellationToken)
    {
        await Task.Delay(StartDelay, cancellationToken);
        var host = new FakeModelHost(this, units);
        lock (Hosts)
        {
            Hosts.Add(host);
        }

        return host;
    }
}

internal sealed class FakeModelHost(FakeModelRuntime runtime, InferenceUnits units) : IModelHost
{
    public bool Disposed { get; private set; }

    public int DesiredInferenceUnits => units.Min;

    public int InServiceInferenceUnits => Disposed ? 0 : units.Min;

    public ValueTask<IReadOnlyList<LabelPrediction>> DetectAsync(ReadOnlyMemory<byte> encodedImage, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Disposed, this);
        return ValueTask.FromResult(runtime.Predictions);
    }

    public ValueTask DisposeAsync()
    {
        Disposed = true;
        return ValueTask.CompletedTask;
    }
}
