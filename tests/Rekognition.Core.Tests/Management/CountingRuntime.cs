using Rekognition.Core.Inference;
using Rekognition.Core.Models;

namespace Rekognition.Core.Tests.Management;

/// <summary>Counts the sessions started and closed.</summary>
internal sealed class CountingRuntime(IModelRuntime inner) : IModelRuntime
{
    private int _started;
    private int _disposed;

    public int Started => _started;

    public int Disposed => _disposed;

    public void Validate(ModelPackage package) => inner.Validate(package);

    public async Task<IModelHost> StartAsync(ModelPackage package, InferenceUnits units, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _started);
        return new Host(await inner.StartAsync(package, units, cancellationToken), this);
    }

    private sealed class Host(IModelHost inner, CountingRuntime owner) : IModelHost
    {
        public int DesiredInferenceUnits => inner.DesiredInferenceUnits;

        public int InServiceInferenceUnits => inner.InServiceInferenceUnits;

        public ValueTask<IReadOnlyList<LabelPrediction>> DetectAsync(ReadOnlyMemory<byte> encodedImage, CancellationToken cancellationToken) =>
            inner.DetectAsync(encodedImage, cancellationToken);

        public ValueTask DisposeAsync()
        {
            Interlocked.Increment(ref owner._disposed);
            return inner.DisposeAsync();
        }
    }
}
