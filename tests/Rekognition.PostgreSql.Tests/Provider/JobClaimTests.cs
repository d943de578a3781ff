using Rekognition.Core.Catalog;
using Rekognition.PostgreSql.Tests.TestSupport;

namespace Rekognition.PostgreSql.Tests.Provider;

/// <summary>Durable jobs on PostgreSQL: hosts racing for jobs each get a different one, and a lapsed lease is taken over.</summary>
public class JobClaimTests : FreshCatalog
{
    [Test]
    public async Task EightHostsRacingForThreeJobs_ClaimEachExactlyOnce()
    {
        for (var i = 0; i < 3; i++)
        {
            Catalog.Jobs.Enqueue(null, JobKind.Train, $"arn:v{i}", "{}", nowMs: 1);
        }

        using var start = new Barrier(8);
        var claims = await Task.WhenAll(Enumerable.Range(0, 8).Select(host => Task.Run(() =>
        {
            start.SignalAndWait();
            var mine = new List<JobRecord>();
            while (Catalog.Jobs.TryClaim([JobKind.Train], $"host{host}", nowMs: 10, leaseUntilMs: 1_000) is { } job)
            {
                mine.Add(job);
            }

            return mine;
        })));

        var all = claims.SelectMany(c => c).ToList();
        Assert.That(all.Select(j => j.ResourceArn).Order(), Is.EqualTo(new[] { "arn:v0", "arn:v1", "arn:v2" }), "each job claimed by exactly one host");
        Assert.That(all.All(j => j.Attempts == 1), Is.True);
        Assert.That(Catalog.Jobs.AnyClaimable([JobKind.Train], nowMs: 20), Is.False, "all held under live leases");
    }

    [Test]
    public void AFinishedJobsId_IsNeverGivenToANewJob()
    {
        var first = Catalog.Jobs.Enqueue(null, JobKind.Import, "arn:a", "{}", nowMs: 1);
        var last = Catalog.Jobs.Enqueue(null, JobKind.Import, "arn:b", "{}", nowMs: 1);
        Assert.That(Catalog.Jobs.TryClaim([JobKind.Import], "h", nowMs: 2, leaseUntilMs: 100)!.Id, Is.EqualTo(first));
        Assert.That(Catalog.Jobs.TryClaim([JobKind.Import], "h", nowMs: 2, leaseUntilMs: 100)!.Id, Is.EqualTo(last));
        Assert.That(Catalog.Jobs.Complete(null, last, "h"), Is.True);
        Assert.That(Catalog.Jobs.Complete(null, first, "h"), Is.True);
        Assert.That(Catalog.Jobs.Enqueue(null, JobKind.Import, "arn:c", "{}", nowMs: 3), Is.GreaterThan(last), "an identity never hands an id out twice");
    }

    [Test]
    public void ALapsedLease_IsTakenOver_AndTheOldHostCanNoLongerCompleteIt()
    {
        var id = Catalog.Jobs.Enqueue(null, JobKind.Import, "arn:ds", "{}", nowMs: 1);
        Assert.That(Catalog.Jobs.TryClaim([JobKind.Import], "a", nowMs: 10, leaseUntilMs: 100)!.Id, Is.EqualTo(id));
        Assert.That(Catalog.Jobs.TryClaim([JobKind.Import], "b", nowMs: 50, leaseUntilMs: 150), Is.Null, "a's lease is live");
        Assert.That(Catalog.Jobs.Renew("a", 120), Is.EqualTo(new[] { id }));

        var taken = Catalog.Jobs.TryClaim([JobKind.Import], "b", nowMs: 121, leaseUntilMs: 300);
        Assert.That(taken?.Owner, Is.EqualTo("b"));
        Assert.That(taken!.Attempts, Is.EqualTo(2));
        Assert.That(Catalog.Jobs.Renew("a", 400), Is.Empty, "a learns it lost the job");
        Assert.That(Catalog.Jobs.Complete(null, id, "a"), Is.False);
        Assert.That(Catalog.Jobs.Complete(null, id, "b"), Is.True);
        Assert.That(Catalog.Jobs.ForResource("arn:ds"), Is.Empty);
    }
}
