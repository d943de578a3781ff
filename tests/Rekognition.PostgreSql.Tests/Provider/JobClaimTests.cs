using Rekognition.Core.Catalog;
using Rekognition.PostgreSql.Tests.TestSupport;

namespace Rekognition.PostgreSql.Tests.Provider;

/// <summary>Durable jobs on PostgreSQL: hosts racing for jobs each get a different one, and a lapsed lease is taken over.</summary>
public class JobClaimTests
{
    private string _schema = null!;
    private PostgreSqlCatalog _catalog = null!;

    [SetUp]
    public void Open()
    {
        string connectionString;
        (_schema, connectionString) = TestPostgres.NewSchema();
        _catalog = PostgreSqlCatalog.Open(connectionString);
    }

    [TearDown]
    public void Drop()
    {
        _catalog.Dispose();
        TestPostgres.DropSchema(_schema);
    }

    [Test]
    public async Task EightHostsRacingForThreeJobs_ClaimEachExactlyOnce()
    {
        for (var i = 0; i < 3; i++)
        {
            _catalog.Jobs.Enqueue(null, JobKind.Train, $"arn:v{i}", "{}", nowMs: 1);
        }

        using var start = new Barrier(8);
        var claims = await Task.WhenAll(Enumerable.Range(0, 8).Select(host => Task.Run(() =>
        {
            start.SignalAndWait();
            var mine = new List<JobRecord>();
            while (_catalog.Jobs.TryClaim([JobKind.Train], $"host{host}", nowMs: 10, leaseUntilMs: 1_000) is { } job)
            {
                mine.Add(job);
            }

            return mine;
        })));

        var all = claims.SelectMany(c => c).ToList();
        Assert.That(all.Select(j => j.ResourceArn).Order(), Is.EqualTo(new[] { "arn:v0", "arn:v1", "arn:v2" }), "each job claimed by exactly one host");
        Assert.That(all.All(j => j.Attempts == 1), Is.True);
        Assert.That(_catalog.Jobs.AnyClaimable([JobKind.Train], nowMs: 20), Is.False, "all held under live leases");
    }

    [Test]
    public void ALapsedLease_IsTakenOver_AndTheOldHostCanNoLongerCompleteIt()
    {
        var id = _catalog.Jobs.Enqueue(null, JobKind.Import, "arn:ds", "{}", nowMs: 1);
        Assert.That(_catalog.Jobs.TryClaim([JobKind.Import], "a", nowMs: 10, leaseUntilMs: 100)!.Id, Is.EqualTo(id));
        Assert.That(_catalog.Jobs.TryClaim([JobKind.Import], "b", nowMs: 50, leaseUntilMs: 150), Is.Null, "a's lease is live");
        Assert.That(_catalog.Jobs.Renew("a", 120), Is.EqualTo(new[] { id }));

        var taken = _catalog.Jobs.TryClaim([JobKind.Import], "b", nowMs: 121, leaseUntilMs: 300);
        Assert.That(taken?.Owner, Is.EqualTo("b"));
        Assert.That(taken!.Attempts, Is.EqualTo(2));
        Assert.That(_catalog.Jobs.Renew("a", 400), Is.Empty, "a learns it lost the job");
        Assert.That(_catalog.Jobs.Complete(null, id, "a"), Is.False);
        Assert.That(_catalog.Jobs.Complete(null, id, "b"), Is.True);
        Assert.That(_catalog.Jobs.ForResource("arn:ds"), Is.Empty);
    }
}
