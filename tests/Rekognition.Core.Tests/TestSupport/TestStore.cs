using Microsoft.Extensions.DependencyInjection;
using Rekognition.Core.Feedback;
using Rekognition.Core.GeneralModels;
using Rekognition.Core.Labeling;
using Rekognition.Core.Model;
using Rekognition.Core.Models;
using Rekognition.Core.Promotion;
using Rekognition.Core.Training;
using Rekognition.Core.Video;

namespace Rekognition.Core.Tests.TestSupport;

/// <summary>
/// A store in a fresh temporary folder, with its buckets root, deleted afterwards. Its clients come from a container
/// built as an application builds it (AddRekognitionCustomLabels), with the test's runtime and trainer.
/// </summary>
internal sealed class TestStore : IAsyncDisposable
{
    private readonly TestCatalog _catalog;
    private readonly Action<IServiceCollection>? _addServices;
    private ServiceProvider _services = null!;

    public TestStore(Action<RekognitionOptions>? configure = null)
        : this(null, configure)
    {
    }

    public TestStore(Rekognition.Core.Inference.IModelRuntime? runtime, Action<RekognitionOptions>? configure = null)
        : this(runtime, null, configure)
    {
    }

    public TestStore(Rekognition.Core.Inference.IModelRuntime? runtime, Rekognition.Core.Training.IModelTrainer? trainer, Action<RekognitionOptions>? configure = null)
        : this(runtime, trainer, configure, null)
    {
    }

    /// <summary>A store whose container also gets what <paramref name="addServices"/> registers (a provider package).</summary>
    public TestStore(
        Rekognition.Core.Inference.IModelRuntime? runtime, Rekognition.Core.Training.IModelTrainer? trainer, Action<RekognitionOptions>? configure, Action<IServiceCollection>? addServices)
    {
        _addServices = addServices;
        Runtime = runtime;
        Trainer = trainer;
        Root = Path.Combine(Path.GetTempPath(), "rk-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
        Options = new RekognitionOptions
        {
            StoreRoot = Path.Combine(Root, "store"),
            BucketsRoot = Path.Combine(Root, "buckets"),
            AccountId = "123456789012",
            Region = "us-east-1",
        };
        configure?.Invoke(Options);
        _catalog = TestCatalog.Create(Options);
        Open();
    }

    public Rekognition.Core.Inference.IModelRuntime? Runtime { get; }

    public Rekognition.Core.Training.IModelTrainer? Trainer { get; }

    public string Root { get; }

    public RekognitionOptions Options { get; }

    public RekognitionCustomLabelsClient Client { get; private set; } = null!;

    /// <summary>The container the clients come from (the current one, after <see cref="ReopenAsync"/>).</summary>
    public IServiceProvider Services => _services;

    public IFeedbackClient Feedback => _services.GetRequiredService<IFeedbackClient>();

    public IModelAliasClient Aliases => _services.GetRequiredService<IModelAliasClient>();

    public ILabelingClient Labeling => _services.GetRequiredService<ILabelingClient>();

    public IGeneralModelClient GeneralModels => _services.GetRequiredService<IGeneralModelClient>();

    public IVideoLabelClient Video => _services.GetRequiredService<IVideoLabelClient>();

    public IModelTransferClient Models => _services.GetRequiredService<IModelTransferClient>();

    public ITrainingControlClient Training => _services.GetRequiredService<ITrainingControlClient>();

    /// <summary>The local folder standing for bucket <paramref name="bucket"/>.</summary>
    public string Bucket(string bucket)
    {
        var path = Path.Combine(Options.ResolvedBucketsRoot, bucket);
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>The local file that an S3 location under the buckets root stands for.</summary>
    public string LocalPath(S3Object location) => Path.Combine(Options.ResolvedBucketsRoot, location.Bucket!, location.Name!);

    /// <summary>Writes <paramref name="content"/> to s3://bucket/key and returns the key.</summary>
    public string PutObject(string bucket, string key, string content) => PutObject(bucket, key, System.Text.Encoding.UTF8.GetBytes(content));

    public string PutObject(string bucket, string key, byte[] content)
    {
        var path = Path.Combine(Bucket(bucket), key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, content);
        return key;
    }

    /// <summary>The local folder of the package key the catalog records for a version.</summary>
    public string ArtifactDirectory(string versionArn) => Path.Combine([Options.StoreRoot, .. ArtifactKey(versionArn).Split('/')]);

    /// <summary>The object key the catalog records for a version's model package.</summary>
    public string ArtifactKey(string versionArn) =>
        _services.GetRequiredService<Rekognition.Core.Catalog.ICatalog>().Versions.FindByArn(versionArn)?.ArtifactKey
        ?? throw new InvalidOperationException($"{versionArn} has no model package.");

    /// <summary>Runs <paramref name="sql"/> on the catalog directly (what another, crashed, process left); returns the rows changed.</summary>
    public int ExecuteCatalogSql(string sql, params (string Name, object Value)[] parameters) => _catalog.Execute(sql, parameters);

    /// <summary>What the SQLite catalog's row holds for a version's package, as stored (no conversion of an old path on read).</summary>
    public string? StoredArtifact(string versionArn)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(Options.StoreRoot, "catalog.db")};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT artifact_dir FROM project_versions WHERE arn = $arn";
        command.Parameters.AddWithValue("$arn", versionArn);
        return command.ExecuteScalar() as string;
    }

    /// <summary>Sets what the catalog records for a version's package, as an older catalog did (an absolute path), at schema <paramref name="schemaVersion"/>.</summary>
    public void SetStoredArtifact(string versionArn, string stored, int schemaVersion)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(Options.StoreRoot, "catalog.db")};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE project_versions SET artifact_dir = $dir WHERE arn = $arn";
        command.Parameters.AddWithValue("$arn", versionArn);
        command.Parameters.AddWithValue("$dir", stored);
        if (command.ExecuteNonQuery() != 1)
        {
            throw new InvalidOperationException($"{versionArn} is not in the catalog.");
        }

        using var schema = connection.CreateCommand();
        schema.CommandText = $"PRAGMA user_version = {schemaVersion}";
        schema.ExecuteNonQuery();
    }

    /// <summary>
    /// Disposes the client and its container, as a process that ended leaves the store: nothing of this store runs until
    /// <see cref="ReopenAsync"/>, so a test can edit the catalog without a live host's job runner acting on it meanwhile.
    /// </summary>
    public ValueTask CloseAsync() => _services.DisposeAsync();

    /// <summary>Disposes the client and opens a new one on the same store (what a restarted process sees).</summary>
    public async Task ReopenAsync()
    {
        await _services.DisposeAsync();
        Open();
    }

    /// <summary>A container of its own on this store (another client, as a second process would make), built as <see cref="Client"/>'s is.</summary>
    public ServiceProvider BuildServices()
    {
        var services = new ServiceCollection().AddSingleton(Microsoft.Extensions.Options.Options.Create(Options));
        _catalog.Register(services);
        if (Runtime is not null)
        {
            services.AddSingleton(Runtime);
        }

        if (Trainer is not null)
        {
            services.AddSingleton(Trainer);
        }

        _addServices?.Invoke(services);
        return services.AddRekognitionCustomLabels().BuildServiceProvider();
    }

    private void Open()
    {
        _services = BuildServices();
        Client = _services.GetRequiredService<RekognitionCustomLabelsClient>();
    }

    public async Task<string> CreateProjectAsync(string name = "demo")
    {
        var response = await Client.CreateProjectAsync(new CreateProjectRequest { ProjectName = name });
        return response.ProjectArn!;
    }

    /// <summary>Polls DescribeDataset, as a service client would, until the last operation has ended.</summary>
    public async Task<DatasetDescription> WaitForDatasetAsync(string datasetArn, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            var description = (await Client.DescribeDatasetAsync(new DescribeDatasetRequest { DatasetArn = datasetArn })).DatasetDescription!;
            var status = description.Status!.Value;
            if (!status.EndsWith("_IN_PROGRESS", StringComparison.Ordinal))
            {
                return description;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Dataset {datasetArn} still {status} after the timeout.");
            }

            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        _catalog.Dispose();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
