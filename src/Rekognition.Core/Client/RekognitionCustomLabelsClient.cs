using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Rekognition.Core.Catalog;
using Rekognition.Core.Inference;
using Rekognition.Core.Storage;

namespace Rekognition.Core;

/// <summary>
/// The in-process Custom Labels service: the operations of <see cref="IAmazonRekognition"/> over the
/// embedded catalog under <see cref="RekognitionOptions.StoreRoot"/>. One instance per store; it is
/// thread-safe. Dispose it to cancel and await the background operations it started.
/// </summary>
public sealed partial class RekognitionCustomLabelsClient : IAmazonRekognition, IAsyncDisposable, IDisposable
{
    private readonly RekognitionOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<RekognitionCustomLabelsClient> _logger;
    private readonly CatalogDatabase _database;
    private readonly ProjectStore _projects;
    private readonly DatasetStore _datasets;
    private readonly EntryQueries _entries;
    private readonly TagStore _tags;
    private readonly PolicyStore _policies;
    private readonly SourceRefResolver _resolver;
    private readonly Store _store;
    private readonly BackgroundOperations _background;
    private readonly IVersionCatalog _versions;
    private readonly Requests.PaginationToken _tokens;
    private readonly RunningModels _running = new();
    private readonly IModelRuntime? _runtime;
    private readonly Training.IModelTrainer? _trainer;
    private readonly Trainings _trainings = new();

    /// <summary>A client over the store the options describe.</summary>
    public RekognitionCustomLabelsClient(RekognitionOptions options)
        : this(Microsoft.Extensions.Options.Options.Create(options))
    {
    }

    /// <summary>A client over the store the options describe, with logging and a clock (for tests).</summary>
    /// <param name="options">The store's options.</param>
    /// <param name="loggerFactory">Logging; none when null.</param>
    /// <param name="timeProvider">The clock; the system's when null.</param>
    /// <param name="modelRuntime">The inference backend that hosts started models (Rekognition.Onnx registers one); models cannot be started without it.</param>
    /// <param name="modelTrainer">The training backend (Rekognition.Training registers one); CreateProjectVersion needs it.</param>
    public RekognitionCustomLabelsClient(
        IOptions<RekognitionOptions> options,
        ILoggerFactory? loggerFactory = null,
        TimeProvider? timeProvider = null,
        IModelRuntime? modelRuntime = null,
        Training.IModelTrainer? modelTrainer = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        ValidateOptions(_options);
        _time = timeProvider ?? TimeProvider.System;
        loggerFactory ??= NullLoggerFactory.Instance;
        _logger = loggerFactory.CreateLogger<RekognitionCustomLabelsClient>();
        _store = new Store(_options.StoreRoot);
        _database = _store.Catalog;
        _projects = new ProjectStore(_database);
        _datasets = new DatasetStore(_database);
        _entries = new EntryQueries(_database);
        _tags = new TagStore(_database);
        _policies = new PolicyStore(_database);
        _resolver = new SourceRefResolver(_options);
        _background = new BackgroundOperations(_logger);
        _versions = _store.Versions;
        _tokens = new Requests.PaginationToken(Requests.PaginationKey.LoadOrCreate(_options.StoreRoot));
        _runtime = modelRuntime;
        _trainer = modelTrainer;
        Directory.CreateDirectory(_options.ResolvedBucketsRoot);

        var recovered = _datasets.RecoverInterrupted(NowMs());
        if (recovered > 0)
        {
            _logger.LogWarning("Marked {Count} dataset operation(s) interrupted by a stopped process as failed", recovered);
        }

        var (interrupted, resumable) = _versions.RecoverTraining(CanResumeTraining, ResumingMessage);
        if (interrupted > 0)
        {
            _logger.LogWarning("Marked {Count} training(s) interrupted by a process that ended as TRAINING_FAILED", interrupted);
        }

        foreach (var version in resumable)
        {
            _logger.LogWarning("Resuming training {Arn} from its checkpoint after the process running it ended", version.Arn);
            ResumeTraining(version);
        }

        var copies = _versions.RecoverCopying();
        if (copies > 0)
        {
            _logger.LogWarning("Marked {Count} copy operation(s) interrupted by a process that ended as COPYING_FAILED", copies);
        }

        var stopped = _versions.RecoverHosting();
        if (stopped > 0)
        {
            _logger.LogWarning("Marked {Count} model version(s) hosted by a process that ended as STOPPED", stopped);
        }
    }

    /// <summary>The options this client runs with.</summary>
    public RekognitionOptions Options => _options;

    /// <summary>
    /// Completes when every background operation started so far (imports, updates, distributions) has ended.
    /// Polling DescribeDataset, as with the service, works too; this is a convenience for tests and tools.
    /// </summary>
    public Task WhenIdleAsync() => _background.WhenIdleAsync();

    /// <summary>Stops the models this client hosts and awaits its background operations.</summary>
    public async ValueTask DisposeAsync()
    {
        _trainings.CancelAll();
        await _background.DisposeAsync().ConfigureAwait(false);
        await _running.DisposeAsync().ConfigureAwait(false);
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private long NowMs() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private static DateTime FromMs(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime;

    private static void ValidateOptions(RekognitionOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.StoreRoot))
        {
            throw new ArgumentException("RekognitionOptions.StoreRoot must name a folder.", nameof(options));
        }

        if (options.AccountId.Length != 12 || !options.AccountId.All(char.IsAsciiDigit))
        {
            throw new ArgumentException($"RekognitionOptions.AccountId must be 12 digits (got '{options.AccountId}').", nameof(options));
        }

        if (string.IsNullOrEmpty(options.Region) || !options.Region.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
        {
            throw new ArgumentException($"RekognitionOptions.Region must be lower-case letters, digits and '-' (got '{options.Region}').", nameof(options));
        }
    }

    /// <summary>A message for a caller with the store's and the buckets' machine paths taken out (they belong in the log only).</summary>
    private string HideMachinePaths(string message) =>
        MachinePaths.Hide(message, (_options.ResolvedBucketsRoot, "s3:/"), (_options.StoreRoot, "<store>"));
}
