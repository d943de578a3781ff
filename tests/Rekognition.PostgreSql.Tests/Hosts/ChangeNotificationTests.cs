using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Rekognition.Core;
using Rekognition.Core.Model;
using Rekognition.Core.Promotion;
using Rekognition.Core.Services.Hosting;
using Rekognition.Core.Tests.TestSupport;
using Rekognition.PostgreSql.Tests.TestSupport;
using static Rekognition.Core.Tests.Management.TrainedModels;

namespace Rekognition.PostgreSql.Tests.Hosts;

/// <summary>
/// Hosts on one PostgreSQL catalog hear of each other's changes through LISTEN/NOTIFY: with a poll of one minute, a
/// version started on one host is loaded by another, and a queued training claimed by an idle worker, within seconds;
/// a model alias put, moved or deleted on one host is followed by another at its next request; a listening connection
/// cut by the server is replaced; with notifications off, polling alone still loads and claims.
/// </summary>
public class ChangeNotificationTests
{
    private static readonly TimeSpan LongPoll = TimeSpan.FromMinutes(1);

    // Well under the one-minute poll, well over a loaded machine's notification delay.
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(10);

    [Test]
    public async Task AVersionStartedOnOneHost_IsLoadedAndUnloadedByAnotherBeforeItsNextPoll()
    {
        await using var store = Store(LongPoll);
        var project = await ProjectAsync(store);
        var version = (await TrainAsync(store, project)).ProjectVersionArn!;
        await using var other = SecondHost(store, "serving-host", "serve");
        var loaded = other.GetRequiredService<RunningModels>();
        await other.GetRequiredService<RekognitionCustomLabelsClient>().WhenIdleAsync(); // its first pass is over: the next is a minute away

        await StartAsync(store, project, version);
        Assert.That(await WithinAsync(Soon, () => loaded.TryGet(version, out _)), Is.True, "loaded by the second host on the notification");
        var labels = await DetectAsync(other.GetRequiredService<RekognitionCustomLabelsClient>(), version, 300, 100);
        Assert.That(labels.First().Name, Is.EqualTo("cat"), "and it answers there");

        await store.Client.StopProjectVersionAsync(new StopProjectVersionRequest { ProjectVersionArn = version });
        Assert.That(await WithinAsync(Soon, () => !loaded.TryGet(version, out _)), Is.True, "unloaded by the second host on the notification");
        Assert.That(await WithinAsync(Soon, async () => (await DescribeAsync(store, project, version)).Status == ProjectVersionStatus.STOPPED), Is.True,
            "STOPPED once the last host unloaded it");
    }

    [Test]
    public async Task AnAliasChangedOnOneHost_IsUsedByAnotherBeforeItsNextPoll()
    {
        await using var store = Store(LongPoll);
        var project = await ProjectAsync(store);
        var v1 = (await TrainAsync(store, project, "v1")).ProjectVersionArn!;
        var v2 = (await TrainAsync(store, project, "v2")).ProjectVersionArn!;
        await StartAsync(store, project, v1);
        await StartAsync(store, project, v2);
        await using var other = SecondHost(store, "alias-host", "api,serve");
        var loaded = other.GetRequiredService<RunningModels>();
        Assert.That(await WithinAsync(Soon, () => loaded.TryGet(v1, out _) && loaded.TryGet(v2, out _)), Is.True, "both versions served on the second host");
        var there = other.GetRequiredService<IModelAliasClient>();
        // Read there once: from now on the second host trusts its aliases for a minute (its poll) unless told of a change.
        Assert.That(await DetectThroughAliasAsync(there, project), Is.Null, "no alias yet");

        await store.Aliases.PutModelAliasAsync(project, "production", v1);
        Assert.That(await WithinAsync(Soon, async () => await DetectThroughAliasAsync(there, project) == v1), Is.True, "a new alias, used there on the notification");

        await store.Aliases.PutModelAliasAsync(project, "production", v2);
        Assert.That(await WithinAsync(Soon, async () => await DetectThroughAliasAsync(there, project) == v2), Is.True, "a moved alias, used there on the notification");

        await store.Aliases.DeleteModelAliasAsync(project, "production");
        Assert.That(await WithinAsync(Soon, async () => await DetectThroughAliasAsync(there, project) is null), Is.True, "a deleted alias, gone there on the notification");
    }

    [Test]
    public async Task AQueuedTraining_IsClaimedByAnIdleWorkerBeforeItsNextPoll()
    {
        var (store, worker, trainer, project) = await ApiAndIdleWorkerAsync();
        await using var _ = store;
        await using var __ = worker;

        await AssertClaimedSoonAsync(store, project, trainer);
        await FinishAsync(worker, trainer);
    }

    [Test]
    public async Task AListeningConnectionCutByTheServer_IsReplacedAndStillWakesTheHost()
    {
        var (store, worker, trainer, project) = await ApiAndIdleWorkerAsync();
        await using var _ = store;
        await using var __ = worker;
        var schema = new NpgsqlConnectionStringBuilder(store.Options.Catalog.ConnectionString).ApplicationName!;
        var before = await WithinAsync(Soon, () => Listeners(schema).Count == 2) ? Listeners(schema) : [];
        Assert.That(before, Has.Count.EqualTo(2), "one listening connection per host");

        Assert.That(Terminate(before), Is.EqualTo(2));
        Assert.That(await WithinAsync(Soon, () => Listeners(schema) is { Count: 2 } now && !now.Intersect(before).Any()), Is.True,
            "each host listens again on a new connection");

        await AssertClaimedSoonAsync(store, project, trainer);
        await FinishAsync(worker, trainer);
    }

    [Test]
    public async Task WithNotificationsOff_PollingAloneLoadsAndClaims()
    {
        var trainer = new AspectRatioTrainer();
        await using var store = Store(TimeSpan.FromMilliseconds(200), "api,import,serve", trainer, listen: false);
        var project = await ProjectAsync(store);
        await using var worker = SecondHost(store, "worker-host", "train,serve");
        var schema = new NpgsqlConnectionStringBuilder(store.Options.Catalog.ConnectionString).ApplicationName!;

        var version = (await store.Client.CreateProjectVersionAsync(new CreateProjectVersionRequest { ProjectArn = project, VersionName = "v1", OutputConfig = Output })).ProjectVersionArn!;
        Assert.That(await WithinAsync(Soon, () => trainer.Jobs.Count > 0), Is.True, "the worker's poll claims the training");
        await worker.GetRequiredService<RekognitionCustomLabelsClient>().WhenIdleAsync();
        Assert.That(trainer.Jobs, Has.Count.EqualTo(1), "trained once (a lease that lapsed under load and was claimed back must not start a second run)");
        Assert.That((await DescribeAsync(store, project, version)).Status, Is.EqualTo(ProjectVersionStatus.TRAINING_COMPLETED));

        await StartAsync(store, project, version);
        var loaded = worker.GetRequiredService<RunningModels>();
        Assert.That(await WithinAsync(Soon, () => loaded.TryGet(version, out _)), Is.True, "the worker's poll loads the started version");
        Assert.That(Listeners(schema), Is.Empty, "no host listened");
    }

    private static TestStore Store(TimeSpan poll, string roles = "api,import,train,serve", AspectRatioTrainer? trainer = null, bool listen = true) =>
        new(new AspectRatioRuntime(), trainer ?? new AspectRatioTrainer(), o =>
        {
            o.Host.Id = "first-host";
            o.Host.Roles = roles;
            o.Host.PollInterval = poll;
            o.Host.LeaseDuration = poll * 3;
            o.Host.ListenForChanges = listen;
        });

    // Another process on the same catalog: a client of its own, with its own host options (its loops keep the object they were given).
    private static ServiceProvider SecondHost(TestStore store, string id, string roles)
    {
        var first = store.Options.Host;
        store.Options.Host = new RekognitionHostOptions
        {
            Id = id,
            Roles = roles,
            PollInterval = first.PollInterval,
            LeaseDuration = first.LeaseDuration,
            ListenForChanges = first.ListenForChanges,
        };
        try
        {
            var services = store.BuildServices();
            services.GetRequiredService<RekognitionCustomLabelsClient>(); // started with these options
            return services;
        }
        finally
        {
            store.Options.Host = first;
        }
    }

    // A store whose host answers and imports (a project with its datasets made), and an idle worker host that only trains,
    // with a trainer that waits at its gate; both poll once a minute.
    private static async Task<(TestStore Store, ServiceProvider Worker, AspectRatioTrainer Trainer, string Project)> ApiAndIdleWorkerAsync()
    {
        var trainer = new AspectRatioTrainer { Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        var store = Store(LongPoll, "api,import", trainer);
        var project = await ProjectAsync(store);
        var worker = SecondHost(store, "train-host", "train");
        await worker.GetRequiredService<RekognitionCustomLabelsClient>().WhenIdleAsync();
        return (store, worker, trainer, project);
    }

    private static async Task AssertClaimedSoonAsync(TestStore store, string project, AspectRatioTrainer trainer)
    {
        var waited = Stopwatch.StartNew();
        await store.Client.CreateProjectVersionAsync(new CreateProjectVersionRequest { ProjectArn = project, VersionName = "v1", OutputConfig = Output });
        Assert.That(await WithinAsync(Soon, () => trainer.Jobs.Count == 1), Is.True, $"the idle worker claimed the training on the notification ({waited.Elapsed.TotalSeconds:F1} s)");
    }

    private static async Task FinishAsync(ServiceProvider worker, AspectRatioTrainer trainer)
    {
        trainer.Gate!.SetResult();
        await worker.GetRequiredService<RekognitionCustomLabelsClient>().WhenIdleAsync();
    }

    // The version that answered a detection through the project's alias "production"; null when there is no such alias.
    private static async Task<string?> DetectThroughAliasAsync(IModelAliasClient client, string project)
    {
        try
        {
            var request = new DetectCustomLabelsRequest { Image = new Image { Bytes = new MemoryStream(PngBuilder.Rgb(300, 100)) }, MinConfidence = 0 };
            var detection = await client.DetectCustomLabelsWithAliasAsync(project, "production", request);
            Assert.That(detection.Response.CustomLabels.First().Name, Is.EqualTo("cat"));
            return detection.ProjectVersionArn;
        }
        catch (ResourceNotFoundException)
        {
            return null;
        }
    }

    // The server processes of the schema's connections that listen (their last statement was the LISTEN).
    private static List<int> Listeners(string schema)
    {
        using var connection = new NpgsqlConnection(TestPostgres.ConnectionString + ";Pooling=false");
        connection.Open();
        using var command = new NpgsqlCommand("SELECT pid FROM pg_stat_activity WHERE application_name = @s AND query LIKE 'LISTEN %'", connection);
        command.Parameters.AddWithValue("s", schema);
        using var reader = command.ExecuteReader();
        var pids = new List<int>();
        while (reader.Read())
        {
            pids.Add(reader.GetInt32(0));
        }

        return pids;
    }

    private static int Terminate(IEnumerable<int> pids)
    {
        using var connection = new NpgsqlConnection(TestPostgres.ConnectionString + ";Pooling=false");
        connection.Open();
        using var command = new NpgsqlCommand("SELECT COUNT(*) FILTER (WHERE pg_terminate_backend(pid)) FROM unnest(@pids) AS pid", connection);
        command.Parameters.AddWithValue("pids", pids.ToArray());
        return Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static Task<bool> WithinAsync(TimeSpan limit, Func<bool> condition) => WithinAsync(limit, () => Task.FromResult(condition()));

    private static async Task<bool> WithinAsync(TimeSpan limit, Func<Task<bool>> condition)
    {
        var waited = Stopwatch.StartNew();
        while (!await condition())
        {
            if (waited.Elapsed > limit)
            {
                return false;
            }

            await Task.Delay(20);
        }

        return true;
    }
}
