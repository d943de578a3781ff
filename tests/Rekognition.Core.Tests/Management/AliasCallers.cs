using System.Collections.Concurrent;
using Rekognition.Core.Model;
using Rekognition.Core.Promotion;
using Rekognition.Core.Tests.TestSupport;

namespace Rekognition.Core.Tests.Management;

/// <summary>
/// Callers detecting a wide (cat) image through an alias without pause until stopped, keeping which version answered each
/// request and what failed: the load a promotion runs under.
/// </summary>
internal sealed class AliasCallers
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task[] _callers;

    public AliasCallers(IModelAliasClient client, string project, string alias, int callers, Action<AliasDetection>? check = null)
    {
        var image = new Image { Bytes = new MemoryStream(PngBuilder.Rgb(130, 64)) };
        _callers = Enumerable.Range(0, callers).Select(_ => Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                try
                {
                    var answer = await client.DetectCustomLabelsWithAliasAsync(project, alias, new DetectCustomLabelsRequest { Image = image, MinConfidence = 0 });
                    check?.Invoke(answer);
                    Served.Add(answer.ProjectVersionArn);
                }
                catch (Exception ex)
                {
                    Failures.Add(ex);
                }
            }
        })).ToArray();
    }

    /// <summary>The version that answered each request.</summary>
    public ConcurrentBag<string> Served { get; } = new();

    /// <summary>What the failed requests threw.</summary>
    public ConcurrentBag<Exception> Failures { get; } = new();

    /// <summary>The distinct failures, one a line, for an assertion's message.</summary>
    public string FailureReport => string.Join("\n", Failures.Select(f => $"{f.GetType().Name}: {f.Message}").Distinct());

    /// <summary>Stops the callers and waits for their last requests.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_callers);
        _stop.Dispose();
    }
}
