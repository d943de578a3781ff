using Microsoft.Extensions.DependencyInjection;
using Rekognition.Core.Inference;
using Rekognition.Core.Model;
using Rekognition.Core.Models;
using Rekognition.Core.QuickTest;
using Rekognition.Core.Tests.TestSupport;
using static Rekognition.Core.Tests.Management.TrainedModels;

namespace Rekognition.Core.Tests.Management;

/// <summary>
/// The quick test keeps its sessions: reused per version and package, bounded in number and idle time, gone with a
/// deleted version, and never closed under a request that still uses one.
/// </summary>
public class QuickTestSessionTests
{
    private static readonly TimeSpan Idle = TimeSpan.FromMinutes(5);

    [Test]
    public async Task QuickTestsOfOneVersion_ShareOneSession_AndDeletingTheVersionClosesIt()
    {
        var runtime = new CountingRuntime(new AspectRatioRuntime());
        await using var store = new TestStore(runtime, new AspectRatioTrainer());
        var project = await ProjectAsync(store);
        var v1 = (await TrainAsync(store, project, "v1")).ProjectVersionArn!;
        var quick = store.Services.GetRequiredService<IQuickTestClient>();
        var (trained, closed) = (runtime.Started, runtime.Disposed); // the training's evaluation ran the model too

        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => quick.QuickTestAsync(v1, PngBuilder.Rgb(130, 64), 0)));
        Assert.That(answers.Select(a => a[0].Name), Is.All.EqualTo("cat"));
        Assert.That(runtime.Started - trained, Is.EqualTo(1), "six quick tests of one version share one session");
        Assert.That(runtime.Disposed - closed, Is.Zero, "the session is kept");

        await store.Client.DeleteProjectVersionAsync(new DeleteProjectVersionRequest { ProjectVersionArn = v1 });
        Assert.That(store.Services.GetRequiredService<QuickTestSessions>().Count, Is.Zero, "the deleted version's session left the cache");
        Assert.That(runtime.Disposed - closed, Is.EqualTo(1), "and was closed, no request using it");
        Assert.ThrowsAsync<ResourceNotFoundException>(() => quick.QuickTestAsync(v1, PngBuilder.Rgb(130, 64), 0));
        Assert.That(runtime.Started - trained, Is.EqualTo(1), "a deleted version starts nothing");
    }

    [Test]
    public async Task OneSessionMoreThanTheBound_ClosesTheLeastRecentlyUsed()
    {
        await using var sessions = new QuickTestSessions(TimeProvider.System, 2, Idle);
        var runtime = new FakeModelRuntime();
        await UseAsync(sessions, runtime, "a");
        await UseAsync(sessions, runtime, "b");
        await UseAsync(sessions, runtime, "a"); // b is now the least recently used
        Assert.That(runtime.Hosts, Has.Count.EqualTo(2), "a was reused");

        await UseAsync(sessions, runtime, "c");
        Assert.That(sessions.Count, Is.EqualTo(2));
        Assert.That(runtime.Hosts.Select(h => h.Disposed), Is.EqualTo(new[] { false, true, false }), "b was closed, a kept");
        await UseAsync(sessions, runtime, "a");
        Assert.That(runtime.Hosts, Has.Count.EqualTo(3), "a is still kept");
        await UseAsync(sessions, runtime, "b");
        Assert.That(runtime.Hosts, Has.Count.EqualTo(4), "b starts again when needed");
        Assert.That(runtime.Hosts[2].Disposed, Is.True, "c made room for it");
    }

    [Test]
    public async Task ASessionIdleLongerThanTheTimeout_IsClosed()
    {
        var clock = new ManualClock(DateTimeOffset.UnixEpoch);
        await using var sessions = new QuickTestSessions(clock, 4, Idle);
        var runtime = new FakeModelRuntime();
        await UseAsync(sessions, runtime, "a");
        clock.Advance(Idle - TimeSpan.FromSeconds(1));
        await sessions.SweepAsync();
        Assert.That(runtime.Hosts.Single().Disposed, Is.False, "not idle long enough");

        await UseAsync(sessions, runtime, "a"); // the use renews it
        clock.Advance(Idle - TimeSpan.FromSeconds(1));
        await sessions.SweepAsync();
        Assert.That(runtime.Hosts, Has.Count.EqualTo(1));
        Assert.That(runtime.Hosts.Single().Disposed, Is.False, "idle time counts from the last use");

        clock.Advance(TimeSpan.FromSeconds(1));
        await sessions.SweepAsync();
        Assert.That(runtime.Hosts.Single().Disposed, Is.True);
        Assert.That(sessions.Count, Is.Zero);
    }

    [Test]
    public async Task AnotherPackageOfTheSameVersion_NeverGetsTheStaleSession()
    {
        await using var sessions = new QuickTestSessions(TimeProvider.System, 4, Idle);
        var runtime = new FakeModelRuntime();
        await UseAsync(sessions, runtime, "a", "package-1");
        await UseAsync(sessions, runtime, "a", "package-2");
        Assert.That(runtime.Hosts, Has.Count.EqualTo(2), "the new package started its own session");
        Assert.That(runtime.Hosts[0].Disposed, Is.True, "the stale one was closed");
        Assert.That(sessions.Count, Is.EqualTo(1));
    }

    [Test]
    public async Task ASessionInUse_IsClosedOnlyWhenItsLastRequestEnds()
    {
        await using var sessions = new QuickTestSessions(TimeProvider.System, 1, Idle);
        var runtime = new FakeModelRuntime();
        var inside = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = sessions.UseAsync("a", "package", () => StartAsync(runtime), async (_, host) =>
        {
            inside.SetResult();
            await release.Task;
            return await host.DetectAsync(ReadOnlyMemory<byte>.Empty, CancellationToken.None); // throws when closed under it
        });
        await inside.Task;
        var second = sessions.UseAsync("a", "package", () => StartAsync(runtime), (_, host) => host.DetectAsync(ReadOnlyMemory<byte>.Empty, CancellationToken.None).AsTask());
        await second;

        await UseAsync(sessions, runtime, "b"); // over the bound of 1: a is evicted while its first request runs
        await sessions.EvictAsync("a"); // evicting again changes nothing
        Assert.That(runtime.Hosts, Has.Count.EqualTo(2));
        Assert.That(runtime.Hosts[0].Disposed, Is.False, "a request still uses it");

        release.SetResult();
        Assert.That(await first, Is.Empty, "the request ended on its session");
        Assert.That(runtime.Hosts[0].Disposed, Is.True, "closed by its last request");
        Assert.That(runtime.Hosts[1].Disposed, Is.False);
    }

    [Test]
    public async Task ManyRequestsDuringEvictions_NeverSeeAClosedSession_AndEverySessionIsClosedAtTheEnd()
    {
        var runtime = new FakeModelRuntime();
        await using (var sessions = new QuickTestSessions(TimeProvider.System, 2, Idle))
        {
            // Five versions over two places, from four threads at once: sessions are evicted while others use them.
            var workers = Enumerable.Range(0, 4).Select(worker => Task.Run(async () =>
            {
                for (var i = 0; i < 200; i++)
                {
                    var version = ((worker * 7) + i) % 5;
                    await sessions.UseAsync($"v{version}", "package", () => StartAsync(runtime), async (_, host) =>
                    {
                        await Task.Yield();
                        return await host.DetectAsync(ReadOnlyMemory<byte>.Empty, CancellationToken.None); // throws on a closed host
                    });
                    if (i % 50 == 0)
                    {
                        await sessions.EvictAsync($"v{version}");
                    }
                }
            })).ToList();
            await Task.WhenAll(workers);
            Assert.That(sessions.Count, Is.LessThanOrEqualTo(2));
        }

        lock (runtime.Hosts)
        {
            Assert.That(runtime.Hosts, Has.Count.GreaterThan(5), "sessions were evicted and started again");
            Assert.That(runtime.Hosts.Where(h => !h.Disposed), Is.Empty, "disposing the cache closed every kept session");
        }
    }

    private static async Task<(ModelPackage, IModelHost)> StartAsync(FakeModelRuntime runtime) =>
        (null!, await runtime.StartAsync(null!, new InferenceUnits(1, 1), CancellationToken.None)); // the cache never reads the package

    private static Task<IReadOnlyList<LabelPrediction>> UseAsync(QuickTestSessions sessions, FakeModelRuntime runtime, string version, string package = "package") =>
        sessions.UseAsync(version, package, () => StartAsync(runtime), (_, host) => host.DetectAsync(ReadOnlyMemory<byte>.Empty, CancellationToken.None).AsTask());
}
