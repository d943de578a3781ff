using Microsoft.Extensions.DependencyInjection;
using Rekognition.Core.Billing;
using Rekognition.Core.Model;
using Rekognition.Core.Tests.TestSupport;

namespace Rekognition.Core.Tests.Versions;

/// <summary>
/// The billing history (running hours times inference units per version) as hosts record it: at start, stop and
/// restart of the host, on a clock the test moves. Serving leases last an hour and are renewed each 50 ms poll, so
/// moving the clock in 10-minute steps never lets them lapse by accident.
/// </summary>
public class BillingHistoryTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);

    private static async Task<(TestStore Store, ManualClock Clock, string Project, string Version)> ImportedAsync(Rekognition.Core.Inference.IModelRuntime? runtime = null)
    {
        var clock = new ManualClock(T0);
        var store = new TestStore(runtime ?? new FakeModelRuntime(), null, o =>
        {
            o.Host.LeaseDuration = TimeSpan.FromHours(1);
            o.Host.PollInterval = TimeSpan.FromMilliseconds(50);
        }, services => services.AddSingleton<TimeProvider>(clock));
        var project = await store.CreateProjectAsync("billing");
        var model = ModelPackages.WriteMnist(Path.Combine(store.Root, "package"));
        var version = (await store.Models.ImportProjectVersionAsync(new ImportProjectVersionRequest { ProjectArn = project, VersionName = "v1", ModelPath = model })).ProjectVersionArn!;
        return (store, clock, project, version);
    }

    private static IBillingClient Billing(TestStore store) => store.Services.GetRequiredService<IBillingClient>();

    private static async Task<string> StatusAsync(TestStore store, string project, string version, params string[] wanted)
    {
        for (var i = 0; i < 1000; i++)
        {
            var status = (await store.Client.DescribeProjectVersionsAsync(new DescribeProjectVersionsRequest { ProjectArn = project })).ProjectVersionDescriptions
                .Single(v => v.ProjectVersionArn == version).Status!.Value;
            if (wanted.Contains(status))
            {
                return status;
            }

            await Task.Delay(10);
        }

        Assert.Fail($"The version never reached {string.Join("/", wanted)}.");
        return null!;
    }

    private static async Task StartAsync(TestStore store, string project, string version, int units)
    {
        await store.Client.StartProjectVersionAsync(new StartProjectVersionRequest { ProjectVersionArn = version, MinInferenceUnits = units });
        await StatusAsync(store, project, version, "RUNNING");
    }

    private static async Task StopAsync(TestStore store, string project, string version)
    {
        await store.Client.StopProjectVersionAsync(new StopProjectVersionRequest { ProjectVersionArn = version });
        await StatusAsync(store, project, version, "STOPPED");
    }

    // Moves the clock in steps a running host renews its lease between.
    private static async Task RunForAsync(ManualClock clock, TimeSpan duration)
    {
        for (var left = duration; left > TimeSpan.Zero; left -= TimeSpan.FromMinutes(10))
        {
            clock.Advance(left < TimeSpan.FromMinutes(10) ? left : TimeSpan.FromMinutes(10));
            await Task.Delay(120);
        }
    }

    [Test]
    public async Task TwoUnitsForNinetyMinutes_BillThreeInferenceHours_AndAStopClosesTheInterval()
    {
        var (store, clock, project, version) = await ImportedAsync();
        await using var _ = store;
        await StartAsync(store, project, version, units: 2);
        await RunForAsync(clock, TimeSpan.FromMinutes(90));

        var running = await Billing(store).GetVersionBillingAsync(version);
        Assert.That(running.Running, Is.True);
        Assert.That(running.Intervals.Single().InferenceUnits, Is.EqualTo(2));
        Assert.That(running.Intervals.Single().Start, Is.EqualTo(T0.UtcDateTime));
        Assert.That(running.InferenceHours, Is.EqualTo(3.0).Within(1e-9), "an open interval counts until now: 1.5 h x 2 units");

        await StopAsync(store, project, version);
        clock.Advance(TimeSpan.FromHours(5));
        var stopped = await Billing(store).GetVersionBillingAsync(version);
        Assert.That(stopped.Running, Is.False);
        Assert.That(stopped.Intervals.Single().End, Is.EqualTo(T0.AddMinutes(90).UtcDateTime), "billed until the stop, not after");
        Assert.That(stopped.InferenceHours, Is.EqualTo(3.0).Within(1e-9));

        // Started again on 1 unit for an hour: a second interval, priced on its own units.
        await StartAsync(store, project, version, units: 1);
        await RunForAsync(clock, TimeSpan.FromHours(1));
        await StopAsync(store, project, version);
        var both = await Billing(store).GetVersionBillingAsync(version);
        Assert.That(both.Intervals.Select(i => i.InferenceUnits), Is.EqualTo(new[] { 2, 1 }));
        Assert.That(both.Hours, Is.EqualTo(2.5).Within(1e-9));
        Assert.That(both.InferenceHours, Is.EqualTo(4.0).Within(1e-9));

        var project1 = await Billing(store).GetProjectBillingAsync(project);
        Assert.That(project1.Single().ProjectVersionArn, Is.EqualTo(version));
        Assert.That(project1.Single().InferenceHours, Is.EqualTo(4.0).Within(1e-9));
        Assert.ThrowsAsync<ResourceNotFoundException>(() => Billing(store).GetVersionBillingAsync(version.Replace("/v1/", "/none/", StringComparison.Ordinal)));
    }

    [Test]
    public async Task AHostThatRestartsWhileItsLeaseLives_KeepsTheOpenInterval()
    {
        var (store, clock, project, version) = await ImportedAsync();
        await using var _ = store;
        await StartAsync(store, project, version, units: 2);
        await RunForAsync(clock, TimeSpan.FromMinutes(30));

        // The host ends without stopping the model (a crash): its registration still has a live lease.
        await store.CloseAsync();
        var leaseUntil = (T0 + TimeSpan.FromMinutes(50)).ToUnixTimeMilliseconds();
        store.ExecuteCatalogSql($"INSERT INTO serving_hosts (version_id, host_id, lease_until_ms) SELECT id, 'crashed-host', {leaseUntil} FROM project_versions");
        clock.Advance(TimeSpan.FromMinutes(10));
        await store.ReopenAsync();
        Assert.That(await StatusAsync(store, project, version, "RUNNING", "STOPPED"), Is.EqualTo("RUNNING"));
        await RunForAsync(clock, TimeSpan.FromMinutes(20));

        var billing = await Billing(store).GetVersionBillingAsync(version);
        Assert.That(billing.Intervals, Has.Count.EqualTo(1), "the restarted host took the model over in the same interval");
        Assert.That(billing.Running, Is.True);
        Assert.That(billing.InferenceHours, Is.EqualTo(2.0).Within(1e-9), "1 h since the start x 2 units, the restart included");

        await StopAsync(store, project, version);
        Assert.That((await Billing(store).GetVersionBillingAsync(version)).Intervals.Single().End, Is.EqualTo(T0.AddHours(1).UtcDateTime));
    }

    [Test]
    public async Task AModelWhoseHostsAllDied_IsBilledUntilTheLastLeaseRanOut()
    {
        var (store, clock, project, version) = await ImportedAsync();
        await using var _ = store;
        await StartAsync(store, project, version, units: 3);
        await store.CloseAsync();
        var leaseUntil = (T0 + TimeSpan.FromMinutes(20)).ToUnixTimeMilliseconds();
        store.ExecuteCatalogSql($"INSERT INTO serving_hosts (version_id, host_id, lease_until_ms) SELECT id, 'crashed-host', {leaseUntil} FROM project_versions");

        clock.Advance(TimeSpan.FromHours(2)); // nobody served it meanwhile
        await store.ReopenAsync();
        Assert.That(await StatusAsync(store, project, version, "STOPPED"), Is.EqualTo("STOPPED"));
        var billing = await Billing(store).GetVersionBillingAsync(version);
        Assert.That(billing.Intervals.Single().End, Is.EqualTo(T0.AddMinutes(20).UtcDateTime));
        Assert.That(billing.InferenceHours, Is.EqualTo(1.0).Within(1e-9), "20 min x 3 units");
    }

    [Test]
    public async Task UnitsAddedAndRemovedByAutoscaling_AreBilledFromWhenTheyChanged()
    {
        var runtime = new ScalingRuntime();
        var (store, clock, project, version) = await ImportedAsync(runtime);
        await using var _ = store;
        await store.Client.StartProjectVersionAsync(new StartProjectVersionRequest { ProjectVersionArn = version, MinInferenceUnits = 1, MaxInferenceUnits = 3 });
        await StatusAsync(store, project, version, "RUNNING");
        await RunForAsync(clock, TimeSpan.FromMinutes(30));

        // Load grows the model to 3 units for an hour, then it shrinks back to 1; the host polls every 50 ms.
        runtime.Host!.Desired = 3;
        await Task.Delay(300);
        await RunForAsync(clock, TimeSpan.FromHours(1));
        runtime.Host.Desired = 1;
        await Task.Delay(300);
        await RunForAsync(clock, TimeSpan.FromMinutes(30));
        await StopAsync(store, project, version);

        var billing = await Billing(store).GetVersionBillingAsync(version);
        Assert.That(billing.Intervals.Select(i => i.InferenceUnits), Is.EqualTo(new[] { 1, 3, 1 }));
        Assert.That(billing.Intervals.Select(i => i.Start), Is.EqualTo(new[] { T0.UtcDateTime, T0.AddMinutes(30).UtcDateTime, T0.AddMinutes(90).UtcDateTime }));
        Assert.That(billing.Intervals.Select(i => i.End), Is.EqualTo(new DateTime?[] { T0.AddMinutes(30).UtcDateTime, T0.AddMinutes(90).UtcDateTime, T0.AddHours(2).UtcDateTime }));
        Assert.That(billing.Hours, Is.EqualTo(2.0).Within(1e-9));
        Assert.That(billing.InferenceHours, Is.EqualTo(4.0).Within(1e-9), "0.5 h x 1 + 1 h x 3 + 0.5 h x 1");
    }

    /// <summary>A runtime whose one host scales when the test says so (the ONNX host scales on its queue).</summary>
    private sealed class ScalingRuntime : Rekognition.Core.Inference.IModelRuntime
    {
        public ScalingHost? Host { get; private set; }

        public void Validate(Rekognition.Core.Models.ModelPackage package)
        {
        }

        public Task<Rekognition.Core.Inference.IModelHost> StartAsync(Rekognition.Core.Models.ModelPackage package, Rekognition.Core.Inference.InferenceUnits units, CancellationToken cancellationToken)
        {
            Host = new ScalingHost { Desired = units.Min };
            return Task.FromResult<Rekognition.Core.Inference.IModelHost>(Host);
        }
    }

    private sealed class ScalingHost : Rekognition.Core.Inference.IModelHost
    {
        private volatile int _desired;

        public int Desired { get => _desired; set => _desired = value; }

        public int DesiredInferenceUnits => _desired;

        public int InServiceInferenceUnits => _desired;

        public ValueTask<IReadOnlyList<Rekognition.Core.Inference.LabelPrediction>> DetectAsync(ReadOnlyMemory<byte> encodedImage, CancellationToken cancellationToken) =>
            ValueTask.FromResult<IReadOnlyList<Rekognition.Core.Inference.LabelPrediction>>([]);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
