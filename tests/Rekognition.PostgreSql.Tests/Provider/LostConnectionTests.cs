using Rekognition.Core.Catalog;
using Rekognition.Core.Model;
using Rekognition.PostgreSql.Tests.TestSupport;

namespace Rekognition.PostgreSql.Tests.Provider;

/// <summary>
/// A database connection lost mid-call (a server restart, a failover, a killed backend) answers the service's retryable
/// InternalServerError and leaves the catalog as it was before the call: never half of a transaction.
/// </summary>
public class LostConnectionTests : FreshCatalog
{
    [SetUp]
    public void AddProject() => Assert.That(Catalog.Projects.TryInsert("p", "arn:p", 1, "CREATED", "CUSTOM_LABELS", null), Is.True);

    [Test]
    public void ACallOnALostConnection_IsAnInternalServerError_AndTheNextCallsWork()
    {
        Assert.That(TestPostgres.LoseConnections(Schema), Is.GreaterThan(0), "the pooled connection of the insert above was cut");

        var error = Assert.Throws<InternalServerErrorException>(() => Catalog.Projects.FindByArn("arn:p"))!;
        Assert.That(error.ErrorCode, Is.EqualTo("InternalServerError"));
        Assert.That(error.StatusCode, Is.EqualTo(System.Net.HttpStatusCode.InternalServerError), "a 500: the SDKs retry it");
        Assert.That(error.Message, Does.Contain("Retry").And.Not.Contain("127.0.0.1"));
        Assert.That(Catalog.IsProviderFailure(error), Is.True);

        // The broken connection is dropped from the pool; the catalog answers again (within the pool's other idle connections).
        ProjectRecord? found = null;
        for (var attempt = 0; attempt < 10 && found is null; attempt++)
        {
            try
            {
                found = Catalog.Projects.FindByArn("arn:p");
            }
            catch (InternalServerErrorException)
            {
            }
        }

        Assert.That(found?.Name, Is.EqualTo("p"));
    }

    [Test]
    public void ATransactionWhoseConnectionIsLost_KeepsNothing()
    {
        var project = Catalog.Projects.FindByArn("arn:p")!;
        using (var transaction = Catalog.BeginTransaction())
        {
            Assert.That(Catalog.Datasets.TryInsert(transaction, project.Id, "TRAIN", "arn:ds", 2, out _), Is.True);
            Assert.That(Catalog.Tags.TryPut("arn:ds", new Dictionary<string, string> { ["k"] = "v" }, 50, transaction), Is.True);
            TestPostgres.LoseConnections(Schema);
            Assert.Throws<InternalServerErrorException>(transaction.Commit);
        }

        Assert.That(Eventually(() => Catalog.Datasets.FindByArn("arn:ds")), Is.Null, "the dataset row was not kept");
        Assert.That(Eventually(() => Catalog.Tags.List("arn:ds")), Is.Empty, "nor its tags");
    }

    [Test]
    public void AnImportWhoseConnectionIsLostMidCopy_KeepsNoEntry()
    {
        var datasetId = CreateDataset("arn:p");
        var line = "{\"source-ref\":\"s3://b/x.png\"}"u8.ToArray();
        var failed = Assert.Throws<InternalServerErrorException>(() =>
        {
            using var transaction = Catalog.BeginTransaction(bulkWrites: true);
            using var writer = Catalog.Entries.OpenWriter(transaction, datasetId, mayReplace: false);
            for (var i = 0; i < 50_000; i++)
            {
                var id = writer.WriteEntry($"s3://b/{i}.png", line, isLabeled: true, hasErrors: false);
                writer.WriteLabel(id, "cat", onBoundingBox: false);
                if (i == 20_000)
                {
                    TestPostgres.LoseConnections(Schema);
                }
            }

            writer.Complete();
            transaction.Commit();
        });
        Assert.That(failed, Is.Not.Null);
        Assert.That(Eventually(() => Catalog.Datasets.CountEntries(null, datasetId)), Is.Zero, "none of the rows before the cut were kept");
        Assert.That(Eventually(() => Catalog.Datasets.CountLabels(null, datasetId)), Is.Zero);
    }

    // Reads through the pool, whose other idle connections were cut too: each fails once, then a fresh one answers.
    private static T Eventually<T>(Func<T> read)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return read();
            }
            catch (InternalServerErrorException) when (attempt < 10)
            {
            }
        }
    }
}
