using System.Collections.Concurrent;
using Rekognition.Core.Inference;
using Rekognition.Core.Models;

namespace Rekognition.Core.Services.Hosting;

/// <summary>A version hosted by this process: its package and the host serving it.</summary>
internal sealed record RunningModel(string VersionArn, ModelPackage Package, IModelHost Host);

/// <summary>The model versions this process hosts, by ARN.</summary>
internal sealed class RunningModels : IAsyncDisposable, IDisposable
{
    private readonly ConcurrentDictionary<string, RunningModel> _models = new(StringComparer.Ordinal);

    public bool TryGet(string arn, out RunningModel model) => _models.TryGetValue(arn, out model!);

    public void Add(RunningModel model) => _models[model.VersionArn] = model;

    public RunningModel? Remove(string arn) => _models.TryRemove(arn, out var model) ? model : null;

    public async ValueTask DisposeAsync()
    {
        foreach (var arn in _models.Keys.ToArray())
        {
            if (Remove(arn) is { } model)
            {
                await model.Host.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>As <see cref="DisposeAsync"/>, for containers disposed synchronously.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();
}
