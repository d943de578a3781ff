using Rekognition.Core.Inference;
using Rekognition.Core.Models;

namespace Rekognition.Core.Tests.Management;

/// <summary>Wraps a runtime so that starting and each detection take a while: requests overlap a promotion's switch.</summary>
internal sealed class SlowRuntime(IModelRuntime inner, TimeSpan startDelay, TimeSpan detectDelay) : IModelRuntime
{
    public void Validate(ModelPackage package) => inner.Validate(package);

    public async Task<IModelHost> StartAsync(ModelPackage package, InferenceUnits units, CancellationToken cancellationToken)
    {
        await Task.Delay(startDelay, cancellationToken);
        return new Host(await inner.StartAsync(package, units, cancellationToken), detectDelay);
    }

    private sealed class Host(IModelHost inner, TimeSpan delay) : IModelHost
    {
        private bool _disposed;

        public int DesiredInferenceUnits => inner.DesiredInferenceUnits;

        public int InServiceInferenceUnits => inner.InServiceInferenceUnits;

        public async ValueTask<IReadOnlyList<LabelPrediction>> DetectAsync(ReadOnlyMemory<byte> encodedImage, CancellationToken cancellationToken)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            await Task.Delay(delay, cancellationToken);
            ObjectDisposedException.ThrowIf(_disposed, this);
            return await inner.DetectAsync(encodedImage, cancellationToken);
        }

        public ValueTask DisposeAsync()
        {
            _disposed = true;
            return inner.DisposeAsync();
        }
    }
}
