using Microsoft.AspNetCore.Builder;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Rekognition.Samples.LocalServer;

namespace Rekognition.Server.Tests.TestSupport;

/// <summary>
/// The LocalServer host started in process on http://127.0.0.1:&lt;free port&gt; over a temporary store and
/// buckets root; optionally with SigV4 credentials.
/// </summary>
public sealed class LocalServerFixture : IAsyncDisposable
{
    public const string Region = "us-east-1";
    public const string AccountId = "123456789012";

    private readonly WebApplication _app;

    private LocalServerFixture(WebApplication app, CapturedLog log, string root, string endpoint, string? accessKeyId, string? secretAccessKey)
    {
        _app = app;
        Log = log;
        Root = root;
        Endpoint = endpoint;
        AccessKeyId = accessKeyId;
        SecretAccessKey = secretAccessKey;
    }

    public string Root { get; }

    /// <summary>The server's recent warnings and errors.</summary>
    public CapturedLog Log { get; }

    public string BucketsRoot => Path.Combine(Root, "buckets");

    public string Endpoint { get; }

    public string? AccessKeyId { get; }

    public string? SecretAccessKey { get; }

    public IServiceProvider Services => _app.Services;

    /// <param name="accessKeyId">With <paramref name="secretAccessKey"/>: every request must be signed.</param>
    /// <param name="secretAccessKey">The secret of <paramref name="accessKeyId"/>.</param>
    /// <param name="settings">Configuration set over the defaults (e.g. <c>Rekognition:CheckImages</c>).</param>
    public static async Task<LocalServerFixture> StartAsync(string? accessKeyId = null, string? secretAccessKey = null, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var root = Path.Combine(Path.GetTempPath(), "rk-server-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        var configuration = new Dictionary<string, string?>
        {
            ["Rekognition:StoreRoot"] = Path.Combine(root, "store"),
            ["Rekognition:BucketsRoot"] = Path.Combine(root, "buckets"),
            ["Rekognition:CheckImages"] = "false",
            ["Rekognition:Region"] = Region,
            ["Rekognition:AccountId"] = AccountId,
        };
        if (accessKeyId is not null)
        {
            configuration["Rekognition:AccessKeyId"] = accessKeyId;
            configuration["Rekognition:SecretAccessKey"] = secretAccessKey;
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }

        var log = new CapturedLog();
        var app = LocalServerApp.Build(["--urls", "http://127.0.0.1:0"], builder =>
        {
            builder.Configuration.AddInMemoryCollection(configuration);
            builder.Logging.ClearProviders();
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.Logging.AddProvider(log);
        });
        await app.StartAsync();
        var endpoint = app.Urls.Single().TrimEnd('/');
        return new LocalServerFixture(app, log, root, endpoint, accessKeyId, secretAccessKey);
    }

    /// <summary>Writes a file under the buckets root at <c>s3://bucket/key</c>'s place; returns that URI.</summary>
    public string PutObject(string bucket, string key, byte[] content)
    {
        var path = Path.Combine(BucketsRoot, bucket, key.Replace('/', Path.DirectorySeparatorChar));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, content);
        return $"s3://{bucket}/{key}";
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
