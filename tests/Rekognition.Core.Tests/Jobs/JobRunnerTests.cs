using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Rekognition.Core.Catalog;
using Rekognition.Core.Model;
using Rekognition.Core.Services;
using Rekognition.Core.Services.Datasets;
using Rekognition.Core.Services.Jobs;
using Rekognition.Core.Tests.TestSupport;

namespace Rekognition.Core.Tests.Jobs;

/// <summary>
/// The job runner on a real catalog with handlers written here; the store's own runner has the <c>api</c> role only, so
/// it claims none of these jobs.
/// </summary>
public class JobRunnerTests
{
    private const string Failure = "The operation failed inside the service; none of its results were kept. Try it again.";

    [Test]
    public async Task AHandlerThatThrows_RecordsTheFailureAndTheJobIsRemoved()
    {
        await using var store = new TestStore(o => o.Host.Roles = "api");
        var handler = new ScriptedHandler(_ => throw new InvalidOperationException("unexpected"));
        var catalog = store.Services.GetRequiredService<ICatalog>();
        catalog.Jobs.Enqueue(null, JobKind.Import, "arn:test:dataset/a", "{}", 0);

        await RunUntilIdleAsync(store, catalog, handler, maxConcurrent: 8);

        Assert.That(handler.Runs, Is.EqualTo(1));
        Assert.That(handler.Failures, Is.EqualTo(new[] { ("arn:test:dataset/a", Failure) }));
        Assert.That(catalog.Jobs.ForResource("arn:test:dataset/a"), Is.Empty);
    }

    [Test]
    public async Task AFailureThatCannotBeRecorded_PutsTheJobBackAndItIsRunAgain()
    {
        await using var store = new TestStore(o => o.Host.Roles = "api");
        var handler = new ScriptedHandler(attempt => attempt == 1 ? throw new InvalidOperationException("unexpected") : Task.CompletedTask)
        {
            FailuresThrow = 1,
        };
        var catalog = store.Services.GetRequiredService<ICatalog>();
        catalog.Jobs.Enqueue(null, JobKind.Import, "arn:test:dataset/b", "{}", 0);

        await RunUntilIdleAsync(store, catalog, handler, maxConcurrent: 8);

        Assert.That(handler.Runs, Is.EqualTo(2), "released after the unrecorded failure, then claimed again");
        Assert.That(handler.Attempts, Is.EqualTo(new[] { 1, 2 }));
        Assert.That(catalog.Jobs.ForResource("arn:test:dataset/b"), Is.Empty);
    }

    [Test]
    public async Task AJobWhoseLeaseLapsedWhileThisHostRunsIt_IsClaimedBackButNotRunTwice()
    {
        // A renewal that comes late (a loaded machine) lets this host's own lease lapse; its claim loop then takes the job
        // back. The run it already has goes on; a second run of the same job beside it would race the first.
        await using var store = new TestStore(o => o.Host.Roles = "api");
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = new ScriptedHandler(_ => gate.Task);
        var catalog = store.Services.GetRequiredService<ICatalog>();
        catalog.Jobs.Enqueue(null, JobKind.Import, "arn:test:dataset/lapsed", "{}", 0);
        var options = new RekognitionOptions { StoreRoot = store.Root };
        options.Host.Id = "runner-under-test";
        options.Host.Roles = "import";
        var clock = new StoreClock(TimeProvider.System);
        using var queue = new JobQueue(catalog, clock);
        await using var runner = new JobRunner(options, new HostIdentity(options), catalog, queue, clock, [handler], NullLogger<JobRunner>.Instance);
        runner.Start();
        await WaitForAsync(() => handler.Runs == 1);

        catalog.Jobs.Renew("runner-under-test", leaseUntilMs: 0); // the lease lapses while the run goes on
        await WaitForAsync(() => catalog.Jobs.ForResource("arn:test:dataset/lapsed").Single().Attempts == 2);
        await Task.Delay(options.Host.PollInterval * 2);
        gate.SetResult();
        await runner.WhenIdleAsync();

        Assert.That(handler.Runs, Is.EqualTo(1), "the job was claimed back by the host that runs it and run a second time beside the first");
        Assert.That(catalog.Jobs.ForResource("arn:test:dataset/lapsed"), Is.Empty, "the one run ended the job");
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var stop = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            Assert.That(DateTime.UtcNow, Is.LessThan(stop), "the condition never held");
            await Task.Delay(10);
        }
    }

    [Test]
    public async Task JobsThatEndAtOnce_NeverHoldASlot()
    {
        // Each run ends before Task.Run would even have returned; a slot kept by a finished run would stop all claims
        // after the first one at a cap of one.
        await using var store = new TestStore(o => o.Host.Roles = "api");
        var handler = new ScriptedHandler(_ => Task.CompletedTask);
        var catalog = store.Services.GetRequiredService<ICatalog>();
        for (var i = 0; i < 40; i++)
        {
            catalog.Jobs.Enqueue(null, JobKind.Import, $"arn:test:dataset/{i}", "{}", 0);
        }

        await RunUntilIdleAsync(store, catalog, handler, maxConcurrent: 1);

        Assert.That(handler.Runs, Is.EqualTo(40));
        Assert.That(Enumerable.Range(0, 40).SelectMany(i => catalog.Jobs.ForResource($"arn:test:dataset/{i}")), Is.Empty);
    }

    [Test]
    public async Task AJobGivenTheIdOfOneThatJustEnded_RunsAsItself()
    {
        // Each job here is queued the moment the one before it is deleted, while the run before may still be ending: a plain
        // SQLite row id would give it the same id (catalogs before schema 8 did); the runner must not mix them up either way.
        await using var store = new TestStore(o => o.Host.Roles = "api");
        var catalog = store.Services.GetRequiredService<ICatalog>();
        var handler = new ChainHandler(catalog, length: 30);
        handler.QueueFirst();

        await RunUntilAsync(store, catalog, handler, maxConcurrent: 8, until: () => handler.Done);

        Assert.That(handler.Runs, Is.EqualTo(30));
        Assert.That(handler.Failures, Is.Empty, "no run failed (a reused id must not hand one run's cancellation to another)");
        Assert.That(handler.Ids.Distinct().Count(), Is.EqualTo(30), "schema 8: a finished job's id is never given again");
    }

    [Test]
    public async Task DatasetFailureRecord_FailsTheDatasetStillInProgressWithAServiceError()
    {
        await using var store = new TestStore(o => o.Host.Roles = "api"); // nobody imports: the dataset stays in progress
        var project = await store.CreateProjectAsync();
        store.PutObject("bucket", "train.manifest", ManifestLines.Classification("s3://bucket/a.png", "cat") + "\n");
        var created = await store.Client.CreateDatasetAsync(new CreateDatasetRequest
        {
            ProjectArn = project,
            DatasetType = "TRAIN",
            DatasetSource = new DatasetSource { GroundTruthManifest = new GroundTruthManifest { S3Object = new S3Object { Bucket = "bucket", Name = "train.manifest" } } },
        });
        var catalog = store.Services.GetRequiredService<ICatalog>();
        var job = catalog.Jobs.ForResource(created.DatasetArn).Single();

        store.Services.GetRequiredService<DatasetService>().RecordFailure(job, Failure);

        var dataset = (await store.Client.DescribeDatasetAsync(new DescribeDatasetRequest { DatasetArn = created.DatasetArn })).DatasetDescription;
        Assert.That(dataset.Status, Is.EqualTo(DatasetStatus.CREATE_FAILED));
        Assert.That(dataset.StatusMessageCode, Is.EqualTo(DatasetStatusMessageCode.SERVICE_ERROR));
        Assert.That(dataset.StatusMessage, Is.EqualTo(Failure));
    }

    private static async Task RunUntilAsync(TestStore store, ICatalog catalog, IJobHandler handler, int maxConcurrent, Func<bool> until)
    {
        var options = new RekognitionOptions { StoreRoot = store.Root };
        options.Host.Id = "runner-under-test";
        options.Host.Roles = "import";
        options.Host.MaxConcurrentJobs = maxConcurrent;
        var clock = new StoreClock(TimeProvider.System);
        using var queue = new JobQueue(catalog, clock);
        await using var runner = new JobRunner(options, new HostIdentity(options), catalog, queue, clock, [handler], NullLogger<JobRunner>.Instance);
        runner.Start();
        var stop = DateTime.UtcNow.AddSeconds(60);
        while (!until() && DateTime.UtcNow < stop)
        {
            await Task.Delay(20);
        }

        await runner.WhenIdleAsync();
    }

    private static async Task RunUntilIdleAsync(TestStore store, ICatalog catalog, IJobHandler handler, int maxConcurrent)
    {
        var options = new RekognitionOptions { StoreRoot = store.Root };
        options.Host.Id = "runner-under-test";
        options.Host.Roles = "import";
        options.Host.MaxConcurrentJobs = maxConcurrent;
        var clock = new StoreClock(TimeProvider.System);
        using var queue = new JobQueue(catalog, clock);
        await using var runner = new JobRunner(options, new HostIdentity(options), catalog, queue, clock, [handler], NullLogger<JobRunner>.Instance);
        runner.Start();
        var idle = runner.WhenIdleAsync();
        Assert.That(await Task.WhenAny(idle, Task.Delay(TimeSpan.FromSeconds(60))), Is.SameAs(idle), "the runner never became idle");
    }

    /// <summary>Runs Import jobs with a script given the attempt number; counts runs and recorded failures.</summary>
    private sealed class ScriptedHandler(Func<int, Task> run) : IJobHandler
    {
        private readonly List<(string, string)> _failures = new();
        private readonly List<int> _attempts = new();
        private int _runs;

        public int FailuresThrow { get; init; }

        public int Runs => Volatile.Read(ref _runs);

        public IReadOnlyList<int> Attempts { get { lock (_attempts) { return _attempts.ToArray(); } } }

        public IReadOnlyList<(string, string)> Failures { get { lock (_failures) { return _failures.ToArray(); } } }

        public IReadOnlyCollection<JobKind> Kinds { get; } = [JobKind.Import];

        public Task RunAsync(JobRecord job, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _runs);
            lock (_attempts)
            {
                _attempts.Add(job.Attempts);
            }

            return run(job.Attempts);
        }

        public void RecordFailure(JobRecord job, string message)
        {
            lock (_failures)
            {
                if (_failures.Count < FailuresThrow)
                {
                    _failures.Add(("(not recorded)", message));
                    throw new InvalidOperationException("the catalog is unreachable");
                }

                _failures.Add((job.ResourceArn, message));
            }
        }
    }

    /// <summary>Each run queues the next job once its own job is deleted; <see cref="Done"/> after the last one is gone.</summary>
    private sealed class ChainHandler(ICatalog catalog, int length) : IJobHandler
    {
        private readonly List<long> _ids = new();
        private readonly List<string> _failures = new();
        private int _runs;

        public int Runs => Volatile.Read(ref _runs);

        public bool Done => Runs >= length && catalog.Jobs.ForResource(Resource(length)).Count == 0;

        public IReadOnlyList<long> Ids { get { lock (_ids) { return _ids.ToArray(); } } }

        public IReadOnlyList<string> Failures { get { lock (_failures) { return _failures.ToArray(); } } }

        public IReadOnlyCollection<JobKind> Kinds { get; } = [JobKind.Import];

        public void QueueFirst() => Queue(1);

        public Task RunAsync(JobRecord job, CancellationToken cancellationToken)
        {
            var run = Interlocked.Increment(ref _runs);
            if (run < length)
            {
                _ = Task.Run(async () =>
                {
                    while (catalog.Jobs.ForResource(job.ResourceArn).Count > 0)
                    {
                        await Task.Delay(1);
                    }

                    Queue(run + 1);
                }, CancellationToken.None);
            }

            return Task.CompletedTask;
        }

        public void RecordFailure(JobRecord job, string message)
        {
            lock (_failures)
            {
                _failures.Add($"{job.ResourceArn}: {message}");
            }
        }

        private static string Resource(int n) => $"arn:test:dataset/chain-{n}";

        private void Queue(int n)
        {
            var id = catalog.Jobs.Enqueue(null, JobKind.Import, Resource(n), "{}", 0);
            lock (_ids)
            {
                _ids.Add(id);
            }
        }
    }
}
