using Amazon.S3;
using Amazon.S3.Model;

namespace Rekognition.Server.Tests.TestSupport;

/// <summary>
/// Several LocalServer processes on loopback sharing one store (<see cref="ClusterStorage"/>): a SQLite catalog and a
/// local folder under a temporary root shared by every host, or a PostgreSQL catalog (a fresh schema) with artifacts and
/// buckets on S3 (fresh buckets) and each host a local folder of its own. Environment variables
/// <c>MULTIHOST_Rekognition__*</c> are passed to every host as <c>Rekognition:*</c> settings.
/// </summary>
public sealed class LocalServerCluster : IAsyncDisposable
{
    public const string Region = "us-east-1";
    public const string AccountId = "123456789012";
    private const string ForwardedPrefix = "MULTIHOST_";

    private readonly List<LocalServerProcess> _hosts = new();
    private readonly Dictionary<string, string> _buckets = new();
    private readonly string? _postgresServer;
    private readonly string? _schema;
    private readonly AmazonS3Client? _s3;
    private bool _artifactsBucketMade;

    /// <param name="storage">Where the hosts keep what they share.</param>
    /// <param name="postgresServer">
    /// For a catalog on PostgreSQL: the PostgreSQL server (an Npgsql connection string) to make the
    /// catalog's schema on; REKOGNITION_TEST_POSTGRES's by default.
    /// </param>
    public LocalServerCluster(ClusterStorage storage = ClusterStorage.SharedFolder, string? postgresServer = null)
    {
        Storage = storage;
        Root = Path.Combine(Path.GetTempPath(), "rk-multihost-tests", Guid.NewGuid().ToString("N"));
        if (storage != ClusterStorage.SharedFolder)
        {
            _postgresServer = postgresServer ?? SharedStoreServers.Postgres;
            (_schema, CatalogConnectionString) = SharedStoreServers.NewSchema(_postgresServer);
        }

        if (storage == ClusterStorage.PostgreSqlAndS3)
        {
            _s3 = SharedStoreServers.S3Client();
            ArtifactsBucket = NewBucketName("artifacts");
        }

        Directory.CreateDirectory(Root);
    }

    public ClusterStorage Storage { get; }

    public string Root { get; }

    /// <summary>The PostgreSQL catalog's connection string (its own schema), when the catalog is on PostgreSQL.</summary>
    public string? CatalogConnectionString { get; }

    /// <summary>The S3 bucket the artifacts are in, when they are on S3.</summary>
    public string? ArtifactsBucket { get; }

    /// <summary>The artifacts' prefix in <see cref="ArtifactsBucket"/>.</summary>
    public const string ArtifactsPrefix = "multihost";

    /// <summary>The local folder of host <paramref name="name"/>: the shared one, or one of its own on PostgreSQL and S3.</summary>
    public string StoreRootOf(string name) => _s3 is null
        ? Path.Combine(Root, "store")
        : Path.Combine(Root, "hosts", name);

    private string BucketsRoot => Path.Combine(Root, "buckets");

    /// <summary>Starts a host with <paramref name="roles"/> (comma-separated) and leases of two seconds, polled every 200 ms.</summary>
    public async Task<LocalServerProcess> StartAsync(string name, string roles, IReadOnlyDictionary<string, string>? extraSettings = null)
    {
        var settings = new Dictionary<string, string>
        {
            ["Rekognition:StoreRoot"] = StoreRootOf(name),
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
        var environment = new Dictionary<string, string>();
        if (CatalogConnectionString is not null)
        {
            settings["Rekognition:Catalog:Provider"] = "PostgreSQL";
            settings["Rekognition:Catalog:ConnectionString"] = CatalogConnectionString;
        }

        if (_s3 is not null)
        {
            settings["Rekognition:Artifacts:Provider"] = "S3";
            settings["Rekognition:Artifacts:Bucket"] = ArtifactsBucket!;
            settings["Rekognition:Artifacts:Prefix"] = ArtifactsPrefix;
            settings["Rekognition:Buckets:Provider"] = "S3";
            settings["Rekognition:S3:ServiceUrl"] = SharedStoreServers.S3Url;
            settings["Rekognition:S3:ForcePathStyle"] = "true";
            settings["Rekognition:S3:DisableChunkEncoding"] = "true";
            settings["Rekognition:S3:Region"] = Region;
            foreach (var (key, value) in SharedStoreServers.S3Credentials)
            {
                environment[key] = value;
            }
        }

        foreach (System.Collections.DictionaryEntry variable in Environment.GetEnvironmentVariables())
        {
            var key = (string)variable.Key;
            if (key.StartsWith(ForwardedPrefix, StringComparison.Ordinal))
            {
                settings[key[ForwardedPrefix.Length..].Replace("__", ":", StringComparison.Ordinal)] = (string)variable.Value!;
            }
        }

        foreach (var (key, value) in extraSettings ?? new Dictionary<string, string>())
        {
            settings[key] = value;
        }

        if (_s3 is not null && !_artifactsBucketMade)
        {
            await CreateBucketAsync(ArtifactsBucket!);
            _artifactsBucketMade = true;
        }

        var host = await LocalServerProcess.StartAsync(name, settings, environment);
        _hosts.Add(host);
        return host;
    }

    /// <summary>
    /// The real name of the test's bucket <paramref name="stem"/>: the stem itself in the shared folder, a fresh bucket
    /// (made on first use) on S3, where bucket names are shared by every test.
    /// </summary>
    public async Task<string> BucketAsync(string stem)
    {
        if (_s3 is null)
        {
            return stem;
        }

        if (!_buckets.TryGetValue(stem, out var name))
        {
            name = NewBucketName(stem);
            await CreateBucketAsync(name);
            _buckets[stem] = name;
        }

        return name;
    }

    /// <summary>Writes <c>s3://bucket/key</c> (<paramref name="stem"/>'s bucket); returns that URI.</summary>
    public async Task<string> PutObjectAsync(string stem, string key, byte[] content)
    {
        var bucket = await BucketAsync(stem);
        if (_s3 is null)
        {
            var path = Path.Combine(BucketsRoot, bucket, key.Replace('/', Path.DirectorySeparatorChar));
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllBytesAsync(path, content);
        }
        else
        {
            await _s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, InputStream = new MemoryStream(content), UseChunkEncoding = false });
        }

        return $"s3://{bucket}/{key}";
    }

    /// <summary>Whether <c>s3://bucket/key</c> (<paramref name="stem"/>'s bucket) exists.</summary>
    public async Task<bool> ObjectExistsAsync(string stem, string key)
    {
        var bucket = await BucketAsync(stem);
        if (_s3 is null)
        {
            return File.Exists(Path.Combine(BucketsRoot, bucket, key.Replace('/', Path.DirectorySeparatorChar)));
        }

        return (await SharedStoreServers.KeysAsync(_s3, bucket, key)).Contains(key);
    }

    /// <summary>
    /// Where a trainer's checkpoint is stored once one is: a file in the shared folder, or an object in the artifacts
    /// bucket; null while there is none. Only one training may run in the cluster.
    /// </summary>
    public async Task<string?> FindCheckpointAsync()
    {
        const string name = "training.ckpt";
        if (_s3 is null)
        {
            var training = Path.Combine(StoreRootOf(""), "training");
            return Directory.Exists(training) ? Directory.EnumerateFiles(training, name, SearchOption.AllDirectories).FirstOrDefault() : null;
        }

        return (await SharedStoreServers.KeysAsync(_s3, ArtifactsBucket!, ArtifactsPrefix + "/")).FirstOrDefault(k => k.EndsWith("/" + name, StringComparison.Ordinal));
    }

    /// <summary>Whether the checkpoint <see cref="FindCheckpointAsync"/> found is still stored.</summary>
    public async Task<bool> CheckpointExistsAsync(string checkpoint) => _s3 is null
        ? File.Exists(checkpoint)
        : (await SharedStoreServers.KeysAsync(_s3, ArtifactsBucket!, checkpoint)).Contains(checkpoint);

    /// <summary>Every host's log, for a failure message.</summary>
    public string Logs => string.Join("\n\n", _hosts.Select(h => $"--- {h.Name} ---\n{h.Log}"));

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            await host.DisposeAsync();
        }

        if (_s3 is not null)
        {
            foreach (var bucket in _buckets.Values.Append(ArtifactsBucket!))
            {
                await SharedStoreServers.DeleteBucketAsync(_s3, bucket);
            }

            _s3.Dispose();
        }

        if (_schema is not null)
        {
            try
            {
                SharedStoreServers.DropSchema(_postgresServer!, _schema);
            }
            catch (Npgsql.NpgsqlException)
            {
                // A test that stopped its own server for good leaves nothing to drop.
            }
        }

        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static string NewBucketName(string stem) => $"{stem}-{Guid.NewGuid():N}";

    private async Task CreateBucketAsync(string name)
    {
        try
        {
            await _s3!.PutBucketAsync(new PutBucketRequest { BucketName = name });
        }
        catch (AmazonS3Exception e) when (e.ErrorCode is "BucketAlreadyOwnedByYou" or "BucketAlreadyExists")
        {
        }
    }
}
