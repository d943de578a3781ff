using Microsoft.AspNetCore.Builder;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Rekognition.Samples.LocalServer;

namespace Rekognition.Server.Tests.Hosting;

/// <summary>LocalServer opens (or refuses) its store when it starts, not on the first request.</summary>
public class LocalServerStartupTests
{
    private string _root = null!;

    [SetUp]
    public void SetUp() => _root = Path.Combine(Path.GetTempPath(), "rk-server-tests", Guid.NewGuid().ToString("N"));

    [TearDown]
    public void TearDown()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Test]
    public async Task Start_OpensTheStoreAndMarksInterruptedWork_WithoutAnyRequest()
    {
        var store = Path.Combine(_root, "store");
        // A store a killed schema-3 process left: a dataset import still CREATE_IN_PROGRESS, with no job to finish it.
        await using (var first = Build(store, "123456789012"))
        {
            await first.StartAsync();
            Assert.That(File.Exists(Path.Combine(store, "catalog.db")), Is.True, "the catalog is opened when the host starts");
            await first.StopAsync();
        }

        SqliteConnection.ClearAllPools();
        Execute(store, "INSERT INTO projects (name, arn, created_ms, status, feature) VALUES ('left', 'arn:aws:rekognition:us-east-1:123456789012:project/left/1', 1, 'CREATED', 'CUSTOM_LABELS')");
        Execute(store, "INSERT INTO datasets (project_id, type, arn, created_ms, updated_ms, status) SELECT id, 'TRAIN', 'arn:aws:rekognition:us-east-1:123456789012:project/left/dataset/train/1', 1, 1, 'CREATE_IN_PROGRESS' FROM projects");

        await using var second = Build(store, "123456789012");
        await second.StartAsync();
        Assert.That(Scalar(store, "SELECT status FROM datasets"), Is.EqualTo("CREATE_FAILED"), "start-up marked the interrupted import, before any request");
        await second.StopAsync();
    }

    [Test]
    public async Task Start_WithABadAccountId_FailsWithTheOptionsMessage()
    {
        await using var app = Build(Path.Combine(_root, "store"), "not-an-account");

        var ex = Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());
        Assert.That(ex!.Message, Is.EqualTo("RekognitionOptions.AccountId must be 12 digits (got 'not-an-account')."));
    }

    private static WebApplication Build(string store, string account) =>
        LocalServerApp.Build(["--urls", "http://127.0.0.1:0"], builder =>
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Rekognition:StoreRoot"] = store,
                ["Rekognition:AccountId"] = account,
                ["Rekognition:Region"] = "us-east-1",
            });
            builder.Logging.ClearProviders();
        });

    private static void Execute(string store, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(store, "catalog.db")};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static string? Scalar(string store, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(store, "catalog.db")};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar() as string;
    }
}
