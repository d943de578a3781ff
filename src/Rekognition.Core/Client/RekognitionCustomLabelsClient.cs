using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Rekognition.Core.Inference;
using Rekognition.Core.Model;
using Rekognition.Core.Services;

namespace Rekognition.Core;

/// <summary>
/// The in-process Custom Labels service: the operations of <see cref="IAmazonRekognition"/> over the
/// embedded catalog under <see cref="RekognitionOptions.StoreRoot"/>. Each operation checks its request, calls one
/// internal service and returns its response. One instance per store; it is thread-safe. Dispose it to cancel and
/// await the background operations it started. The features that are not the service's API (feedback, aliases,
/// labelling, general models, video, import/export, training control) are their own clients, registered by
/// <c>AddRekognitionCustomLabels</c>.
/// </summary>
public sealed class RekognitionCustomLabelsClient : IAmazonRekognition, IAsyncDisposable, IDisposable
{
    private readonly ClientServices _services;
    private readonly ServiceProvider? _ownedGraph;

    /// <summary>A client over the store the options describe.</summary>
    /// <exception cref="ArgumentException">The options are not valid (the message says which and why).</exception>
    public RekognitionCustomLabelsClient(RekognitionOptions options)
        : this(Microsoft.Extensions.Options.Options.Create(options))
    {
    }

    /// <summary>A client over the store the options describe, with logging, a clock and the backends, without a DI container of the caller's.</summary>
    /// <param name="options">The store's options.</param>
    /// <param name="loggerFactory">Logging; none when null.</param>
    /// <param name="timeProvider">The clock; the system's when null.</param>
    /// <param name="modelRuntime">The inference backend that hosts started models (Rekognition.Onnx registers one); models cannot be started without it.</param>
    /// <param name="modelTrainer">The training backend (Rekognition.Training registers one); CreateProjectVersion needs it.</param>
    /// <exception cref="ArgumentException">The options are not valid (the message says which and why).</exception>
    public RekognitionCustomLabelsClient(
        IOptions<RekognitionOptions> options,
        ILoggerFactory? loggerFactory = null,
        TimeProvider? timeProvider = null,
        IModelRuntime? modelRuntime = null,
        Training.IModelTrainer? modelTrainer = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (RekognitionOptionsValidator.Failure(options.Value) is { } failure)
        {
            throw new ArgumentException(failure, nameof(options));
        }

        _ownedGraph = RekognitionCoreServices.BuildDefault(options, loggerFactory, timeProvider, modelRuntime, modelTrainer);
        _services = _ownedGraph.GetRequiredService<ClientServices>();
        _services.Startup.EnsureStarted();
    }

    /// <summary>The client over services a DI container built (AddRekognitionCustomLabels).</summary>
    internal RekognitionCustomLabelsClient(ClientServices services)
    {
        _services = services;
        _services.Startup.EnsureStarted();
    }

    /// <summary>The options this client runs with.</summary>
    public RekognitionOptions Options => _services.Options;

    /// <summary>The services behind this client (the extras clients of a source store reach them through it).</summary>
    internal ClientServices Services => _services;

    /// <summary>
    /// Completes when this host runs no job and none it could take is waiting (imports, updates, distributions, trainings,
    /// copies), every other background operation started so far has ended, and models started or stopped so far are loaded
    /// or unloaded here.
    /// Polling DescribeDataset, as with the service, works too; this is a convenience for tests and tools.
    /// </summary>
    public async Task WhenIdleAsync()
    {
        await _services.Jobs.WhenIdleAsync().ConfigureAwait(false);
        await _services.Background.WhenIdleAsync().ConfigureAwait(false);
        await _services.Serving.WhenSettledAsync().ConfigureAwait(false);
    }

    /// <inheritdoc />
    public IRekognitionPaginatorFactory Paginators => field ??= new RekognitionPaginatorFactory(this);

    /// <inheritdoc />
    public Task<CreateProjectResponse> CreateProjectAsync(CreateProjectRequest request, CancellationToken cancellationToken = default) =>
        Task.FromResult(_services.Projects.Create(Checked(request), cancellationToken));

    /// <inheritdoc />
    public Task<DescribeProjectsResponse> DescribeProjectsAsync(DescribeProjectsRequest request, CancellationToken cancellationToken = default) =>
        Task.FromResult(_services.Projects.Describe(Checked(request)));

    /// <inheritdoc />
    public Task<DeleteProjectResponse> DeleteProjectAsync(DeleteProjectRequest request, CancellationToken cancellationToken = default) =>
        Task.FromResult(_services.Projects.Delete(Checked(request)));

    /// <inheritdoc />
    public Task<CreateDatasetResponse> CreateDatasetAsync(CreateDatasetRequest request, CancellationToken cancellationToken = default) =>
        Task.FromResult(_services.Datasets.Create(Checked(request), cancellationToken));

    /// <inheritdoc />
    public Task<DescribeDatasetResponse> DescribeDatasetAsync(DescribeDatasetRequest request, CancellationToken cancellationToken = default) =>
        Task.FromResult(_services.Datasets.Describe(Checked(request)));

    /// <inheritdoc />
    public Task<DeleteDatasetResponse> DeleteDatasetAsync(DeleteDatasetRequest request, CancellationToken cancellationToken = default) =>
        Task.FromResult(_services.Datasets.Delete(Checked(request)));

    /// <inheritdoc />
    public Task<ListDatasetEntriesResponse> ListDatasetEntriesAsync(ListDatasetEntriesRequest request, CancellationToken cancellationToken = default) =>
        Task.FromResult(_services.Datasets.ListEntries(Checked(request)));

    /// <inheritdoc />
    public Task<ListDatasetLabelsResponse> ListDatasetLabelsAsync(ListDatasetLabelsRequest request, CancellationToken cancellationToken = default) =>
        Task.FromResult(_services.Datasets.ListLabels(Checked(request)));

    /// <inheritdoc />
    public Task<UpdateDatasetEntriesResponse> UpdateDatasetEntriesAsync(UpdateDatasetEntriesRequest request, CancellationToken cancellationToken = default) =>
        Task.FromResult(_services.Datasets.UpdateEntries(Checked(request)));

    /// <inheritdoc />
    public Task<DistributeDatasetEntriesResponse> DistributeDatasetEntriesAsync(DistributeDatasetEntriesRequest request, CancellationToken cancellationToken = default) =>
        Task.FromResult(_services.Datasets.Distribute(Checked(request)));

    /// <inheritdoc />
    public Task<CreateProjectVersionResponse> CreateProjectVersionAsync(CreateProjectVersionRequest request, CancellationToken cancellationToken = default) =>
        Task.FromResult(_services.Training.Create(Checked(request), new Training.TrainingRunOptions()));

    /// <inheritdoc />
    public Task<DescribeProjectVersionsResponse> DescribeProjectVersionsAsync(DescribeProjectVersionsRequest request, CancellationToken cancellationToken = default) =>
        Task.FromResult(_services.Versions.Describe(Checked(request)));

    /// <inheritdoc />
    public Task<DeleteProjectVersionResponse> DeleteProjectVersionAsync(DeleteProjectVersionRequest request, CancellationToken cancellationToken = default) =>
        Task.FromResult(_services.Versions.Delete(Checked(request)));

    /// <inheritdoc />
    public Task<StartProjectVersionResponse> StartProjectVersionAsync(StartProjectVersionRequest request, CancellationToken cancellationToken = default) =>
        Task.FromResult(_services.Hosting.Start(Checked(request)));

    /// <inheritdoc />
    public Task<StopProjectVersionResponse> StopProjectVersionAsync(StopProjectVersionRequest request, CancellationToken cancellationToken = default) =>
        Task.FromResult(_services.Hosting.Stop(Checked(request)));

    /// <summary>
    /// Copies a model version within this store (same account). A source in another account's store:
    /// <see cref="Models.IModelTransferClient.CopyProjectVersionFromStoreAsync"/>.
    /// </summary>
    public Task<CopyProjectVersionResponse> CopyProjectVersionAsync(CopyProjectVersionRequest request, CancellationToken cancellationToken = default) =>
        Task.FromResult(_services.Copies.Copy(Checked(request), _services.Copies));

    /// <inheritdoc />
    public Task<DetectCustomLabelsResponse> DetectCustomLabelsAsync(DetectCustomLabelsRequest request, CancellationToken cancellationToken = default) =>
        _services.Hosting.DetectAsync(Checked(request), cancellationToken);

    /// <inheritdoc />
    public Task<TagResourceResponse> TagResourceAsync(TagResourceRequest request, CancellationToken cancellationToken = default) =>
        Task.FromResult(_services.Tags.Tag(Checked(request)));

    /// <inheritdoc />
    public Task<UntagResourceResponse> UntagResourceAsync(UntagResourceRequest request, CancellationToken cancellationToken = default) =>
        Task.FromResult(_services.Tags.Untag(Checked(request)));

    /// <inheritdoc />
    public Task<ListTagsForResourceResponse> ListTagsForResourceAsync(ListTagsForResourceRequest request, CancellationToken cancellationToken = default) =>
        Task.FromResult(_services.Tags.List(Checked(request)));

    /// <inheritdoc />
    public Task<PutProjectPolicyResponse> PutProjectPolicyAsync(PutProjectPolicyRequest request, CancellationToken cancellationToken = default) =>
        Task.FromResult(_services.Policies.Put(Checked(request)));

    /// <inheritdoc />
    public Task<ListProjectPoliciesResponse> ListProjectPoliciesAsync(ListProjectPoliciesRequest request, CancellationToken cancellationToken = default) =>
        Task.FromResult(_services.Policies.List(Checked(request)));

    /// <inheritdoc />
    public Task<DeleteProjectPolicyResponse> DeleteProjectPolicyAsync(DeleteProjectPolicyRequest request, CancellationToken cancellationToken = default) =>
        Task.FromResult(_services.Policies.Delete(Checked(request)));

    /// <summary>Stops the trainings and models this client runs and awaits its background operations.</summary>
    public async ValueTask DisposeAsync()
    {
        _services.Trainings.CancelAll();
        await _services.Jobs.DisposeAsync().ConfigureAwait(false);
        await _services.Serving.DisposeAsync().ConfigureAwait(false);
        await _services.Background.DisposeAsync().ConfigureAwait(false);
        await _services.Running.DisposeAsync().ConfigureAwait(false);
        if (_ownedGraph is not null)
        {
            await _ownedGraph.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>As <see cref="DisposeAsync"/>, blocking.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private static T Checked<T>(T request)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(request);
        return request;
    }
}
