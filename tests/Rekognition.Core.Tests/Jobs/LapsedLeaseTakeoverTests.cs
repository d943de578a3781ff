using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Rekognition.Core.Catalog;
using Rekognition.Core.Services;
using Rekognition.Core.Services.Jobs;
using Rekognition.Core.Tests.TestSupport;

namespace Rekognition.Core.Tests.Jobs;

/// <summary>
/// A job whose host died (it stopped renewing the lease) is taken over by an idle runner when the lease lapses, not at
/// the runner's next poll: the runner sleeps until the earliest lease it could take over lapses. Runs on both providers
/// (the PostgreSQL tests compile this file too), on a clock the test moves, so no test waits for a lease in real time.
/// </summary>
public class LapsedLeaseTakeoverTests
{
    private static readonly TimeSpan Poll = TimeSpan.FromMinutes(1);
    private const long DeadHostLeaseMs = 3_000; // what the dead host's last claim or renewal gave it

    [Test]
    public async Task AJobWhoseHostStoppedRenewing_IsTakenOverWhenItsLeaseLapses_NotAtTheNextPoll()
    {
        await using var store = new TestStore(o => o.Host.Roles = "api"); // the store's own runner claims none of these
        var catalog = store.Services.GetRequiredService<ICatalog>();
        var time = new WatchedTime(DateTimeOffset.UtcNow);
        var clock = new StoreClock(time);
        var id = catalog.Jobs.Enqueue(null, JobKind.Import, "arn:test:dataset/orphan", "{}", clock.NowMs());
        var lapse = clock.NowMs() + DeadHostLeaseMs;
        Assert.That(catalog.Jobs.TryClaim([JobKind.Import], "dead-host", clock.NowMs(), lapse)?.Id, Is.EqualTo(id), "claimed by a host that then died");

        var handler = new RecordingHandler(clock);
        using var queue = new JobQueue(catalog, clock);
        await using var runner = Runner(store, catalog, queue, clock, handler);
        runner.Start();

        // The runner looked, found the job held, and sleeps until just after the lease lapses (not for its one-minute poll).
        var sleep = await time.FirstTimerAsync(due => due > TimeSpan.Zero && due <= TimeSpan.FromMilliseconds(DeadHostLeaseMs + 1), TimeSpan.FromSeconds(30));
        Assert.That(sleep, Is.Not.Null, $"the runner never slept for less than its poll ({string.Join(", ", time.Timers)})");
        Assert.That(handler.Runs, Is.Empty, "nothing taken over while the lease is live");

        time.Advance(sleep!.Value);
        var run = await handler.FirstRunAsync(TimeSpan.FromSeconds(30));
        Assert.That(run, Is.Not.Null, "the lapsed job was taken over");
        Assert.That(run!.Value.Attempts, Is.EqualTo(2), "a takeover, not a first claim");
        Assert.That(run.Value.AtMs - lapse, Is.InRange(1, 1_000), "taken over at the lapse, on the runner's clock (its poll is a minute)");
        Assert.That(catalog.Jobs.Renew("dead-host", lapse + 60_000), Is.Empty, "the dead host no longer holds it");
    }

    [Test]
    public async Task NextLeaseLapse_IsTheEarliestLeaseOtherHostsHold()
    {
        await using var store = new TestStore(o => o.Host.Roles = "api");
        var catalog = store.Services.GetRequiredService<ICatalog>();
        var jobs = catalog.Jobs;
        Assert.That(jobs.NextLeaseLapse([JobKind.Import, JobKind.Train], "me", 1_000), Is.Null, "no job");

        jobs.Enqueue(null, JobKind.Import, "arn:test:queued", "{}", 1);
        Assert.That(jobs.NextLeaseLapse([JobKind.Import], "me", 1_000), Is.Null, "a queued job is claimable, not held");

        jobs.Enqueue(null, JobKind.Import, "arn:test:other-late", "{}", 1, ownerHostId: "other", leaseUntilMs: 9_000);
        jobs.Enqueue(null, JobKind.Import, "arn:test:other-soon", "{}", 1, ownerHostId: "other", leaseUntilMs: 5_000);
        jobs.Enqueue(null, JobKind.Import, "arn:test:mine", "{}", 1, ownerHostId: "me", leaseUntilMs: 2_000);
        jobs.Enqueue(null, JobKind.Train, "arn:test:training", "{}", 1, ownerHostId: "other", leaseUntilMs: 3_000);
        jobs.Enqueue(null, JobKind.Import, "arn:test:lapsed", "{}", 1, ownerHostId: "other", leaseUntilMs: 900);

        Assert.That(jobs.NextLeaseLapse([JobKind.Import], "me", 1_000), Is.EqualTo(5_000), "this host's own lease and one lapsed before then do not count");
        Assert.That(jobs.NextLeaseLapse([JobKind.Import], "me", 900), Is.EqualTo(900), "a lease lapsed since then does");
        Assert.That(jobs.NextLeaseLapse([JobKind.Import, JobKind.Train], "me", 1_000), Is.EqualTo(3_000), "every kind this host runs");
        Assert.That(jobs.NextLeaseLapse([JobKind.Import], "other", 1_000), Is.EqualTo(2_000), "from the other host's side");
        Assert.That(jobs.NextLeaseLapse([JobKind.Import], "me", 5_000), Is.EqualTo(5_000), "a lease ending now is still held");
        Assert.That(jobs.NextLeaseLapse([], "me", 1_000), Is.Null, "no kind");
    }

    [TestCase(null, 0L, 60_000L)]
    [TestCase(3_000L, 0L, 3_001L)]
    [TestCase(3_000L, 3_000L, 1L)]
    [TestCase(120_000L, 0L, 60_000L)]
    [TestCase(2_000L, 2_500L, 10L)]
    public void TheClaimLoopSleeps_UntilThePollOrJustAfterTheEarliestLapse_OrBrieflyWhenOneJustLapsed(long? lapse, long now, long expectedMs) =>
        Assert.That(JobQueue.Sleep(lapse, now, Poll), Is.EqualTo(TimeSpan.FromMilliseconds(expectedMs)));

    private static JobRunner Runner(TestStore store, ICatalog catalog, JobQueue queue, StoreClock clock, IJobHandler handler)
    {
        var options = new RekognitionOptions { StoreRoot = store.Root };
        options.Host.Id = "idle-runner";
        options.Host.Roles = "import";
        options.Host.PollInterval = Poll;
        options.Host.LeaseDuration = Poll * 3;
        return new JobRunner(options, new HostIdentity(options), catalog, queue, clock, [handler], NullLogger<JobRunner>.Instance);
    }

    /// <summary>A test clock that also notes the due time of every timer made on it (the runner's sleeps).</summary>
    private sealed class WatchedTime(DateTimeOffset start) : FakeTimeProvider(start)
    {
        private readonly ConcurrentQueue<TimeSpan> _timers = new();

        public IReadOnlyCollection<TimeSpan> Timers => _timers.ToArray();

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            _timers.Enqueue(dueTime);
            return base.CreateTimer(callback, state, dueTime, period);
        }

        public async Task<TimeSpan?> FirstTimerAsync(Func<TimeSpan, bool> match, TimeSpan limit)
        {
            var stop = DateTime.UtcNow + limit;
            while (DateTime.UtcNow < stop)
            {
                foreach (var due in _timers)
                {
                    if (match(due))
                    {
                        return due;
                    }
                }

                await Task.Delay(10);
            }

            return null;
        }
    }

    /// <summary>Runs Import jobs at once, noting each run's attempt and the runner's clock then.</summary>
    private sealed class RecordingHandler(StoreClock clock) : IJobHandler
    {
        private readonly ConcurrentQueue<(int Attempts, long AtMs)> _runs = new();

        public IReadOnlyCollection<(int Attempts, long AtMs)> Runs => _runs.ToArray();

        public IReadOnlyCollection<JobKind> Kinds { get; } = [JobKind.Import];

        public Task RunAsync(JobRecord job, CancellationToken cancellationToken)
        {
            _runs.Enqueue((job.Attempts, clock.NowMs()));
            return Task.CompletedTask;
        }

        public void RecordFailure(JobRecord job, string message) => throw new AssertionException($"{job.ResourceArn} failed: {message}");

        public async Task<(int Attempts, long AtMs)?> FirstRunAsync(TimeSpan limit)
        {
            var stop = DateTime.UtcNow + limit;
            while (DateTime.UtcNow < stop)
            {
                if (_runs.TryPeek(out var run))
                {
                    return run;
                }

                await Task.Delay(10);
            }

            return null;
        }
    }
}
