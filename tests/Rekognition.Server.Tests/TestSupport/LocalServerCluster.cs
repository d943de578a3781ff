namespace Rekognition.Server.Tests.TestSupport;

/// <summary>
/// Several LocalServer processes on loopback sharing one store: by default a SQLite catalog and a local folder under a
/// temporary root, on this machine. Environment variables <c>MULTIHOST_Rekognition__*</c> are passed to every host as
/// <c>Rekognition:*</c> settings (e.g. <c>MULTIHOST_Rekognition__Catalog__Provider=PostgreSQL</c> with its connection
/// string), so the same tests run on a shared PostgreSQL catalog and S3 store.
/// </summary>
public sealed class LocalServerCluster : IAsyncDisposable
{
    public const string Region = "us-east-1";
    public const string AccountId = "123456789012";
    private const string ForwardedPrefix = "MULTIHOST_";

    private readonly List<LocalServerProcess> _hosts = new();

    public LocalServerCluster()
    {
        Root = Path.Combine(Path.GetTempPath(), "rk-multihost-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public string StoreRoot => Path.Combine(Root, "store");

    public string BucketsRoot => Path.Combine(Root, "buckets");

    /// <summary>Starts a host with <paramref name="roles"/> (comma-separated) and leases of two seconds, polled every 200 ms.</summary>
    public async Task<LocalServerProcess> StartAsync(string name, string roles)
    {
        var settings = new Dictionary<string, string>
        {
            ["Rekognition:StoreRoot"] = StoreRoot,
            ["Rekognition:BucketsRoot"] = BucketsRoot,
            ["Rekognition:CheckImages"] = "false",
            ["Rekognition:Region"] = Region,
            ["Rekognition:AccountId"] = AccountId,
            ["Rekognition:Training:Backbone"] = "none", // the built-in network from scratch, few epochs: a training of seconds
            ["Rekognition:Training:Classifier:Epochs"] = "8",
            ["Rekognition:Host:Id"] = name,
            ["Rekognition:Host:Roles"] = roles,
            ["Rekognition:Host:LeaseDuration"] = "00:00:02",
            ["Rekognition:Host:PollInterval"] = "00:00:00.200",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Rekognition"] = "Information",
            ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Information",
        };
        foreach (System.Collections.DictionaryEntry variable in Environment.GetEnvironmentVariables())
        {
            var key = (string)variable.Key;
            if (key.StartsWith(ForwardedPrefix, StringComparison.Ordinal))
            {
                settings[key[ForwardedPrefix.Length..].Replace("__", ":", StringComparison.Ordinal)] = (string)variable.Value!;
            }
        }

        var host = await LocalServerProcess.StartAsync(name, settings);
        _hosts.Add(host);
        return host;
    }

    /// <summary>Writes a file under the buckets root at <c>s3://bucket/key</c>'s place; returns that URI.</summary>
    public string PutObject(string bucket, string key, byte[] content)
    {
        var path = Path.Combine(BucketsRoot, bucket, key.Replace('/', Path.DirectorySeparatorChar));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, content);
        return $"s3://{bucket}/{key}";
    }

    /// <summary>Every host's log, for a failure message.</summary>
    public string Logs => string.Join("\n\n", _hosts.Select(h => $"--- {h.Name} ---\n{h.Log}"));

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            await host.DisposeAsync();
        }

        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
