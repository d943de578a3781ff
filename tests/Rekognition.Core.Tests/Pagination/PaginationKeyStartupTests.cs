using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Rekognition.Core.Storage;
using Rekognition.Core.Tests.TestSupport;

namespace Rekognition.Core.Tests.Pagination;

public class PaginationKeyStartupTests
{
    [Test]
    public async Task TheHostsStart_AwaitsTheKeysRead_InsteadOfBlockingOnIt()
    {
        var root = Directory.CreateTempSubdirectory("rk-pagination-").FullName;
        var slow = new GatedObjectStore(new LocalFolderObjectStore(Path.Combine(root, "store")));
        try
        {
            await using var services = new ServiceCollection()
                .AddSingleton<IObjectStore>(slow)
                .AddRekognitionCustomLabels(o => o.StoreRoot = Path.Combine(root, "store"))
                .BuildServiceProvider();
            var startup = services.GetServices<IHostedService>().Single(s => s.GetType().Name == "StoreStartupService");

            // Called on a thread of its own: a start that blocks on the store never returns, and the test says so.
            var call = Task.Factory.StartNew(() => startup.StartAsync(CancellationToken.None), TaskCreationOptions.LongRunning);
            Assert.That(call.Wait(TimeSpan.FromSeconds(10)), Is.True, "StartAsync blocked on the object store instead of awaiting it");
            var started = call.Result;
            Assert.That(started.IsCompleted, Is.False, "the start waits for the object store");

            slow.Gate.SetResult();
            await started.WaitAsync(TimeSpan.FromSeconds(30));
            var key = await File.ReadAllBytesAsync(Path.Combine(root, "store", StoreLayout.PaginationKey));
            Assert.That(key, Has.Length.EqualTo(32));
        }
        finally
        {
            slow.Gate.TrySetResult();
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>A local store whose existence checks wait for <see cref="Gate"/>, as a remote store's first call may.</summary>
    private sealed class GatedObjectStore(IObjectStore inner) : ForwardingObjectStore(inner)
    {
        public TaskCompletionSource Gate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override async Task<bool> ExistsAsync(string key, CancellationToken cancellationToken = default)
        {
            await Gate.Task.WaitAsync(cancellationToken);
            return await base.ExistsAsync(key, cancellationToken);
        }
    }
}
