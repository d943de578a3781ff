using Rekognition.Core.Model;

namespace Rekognition.Core;

/// <summary>
/// The Custom Labels operations of the AWS SDK for .NET's <c>IAmazonRekognition</c>, with the same
/// method, request, response and exception names, run in process against a local store. Code written
/// for the service ports by changing the client's construction (and the namespaces).
/// </summary>
/// <remarks>
/// <see cref="IDisposable"/> as the SDK's interface is, so <c>using var client = ...</c> ports unchanged. The SDK's
/// interface also extends <c>IAmazonService</c> (its HTTP client configuration); that has no meaning in
/// process, so it is not here.
/// </remarks>
public interface IAmazonRekognition : IDisposable
{
    /// <summary>Paginators for the operations that answer in pages, as the SDK's <c>client.Paginators</c>.</summary>
    IRekognitionPaginatorFactory Paginators { get; }

    // Projects
    /// <summary>Creates a project, the container of a model's datasets and versions; its ARN is returned at once.</summary>
    /// <exception cref="AmazonRekognitionException"><see cref="ResourceAlreadyExistsException"/> when a project of that name exists, <see cref="LimitExceededException"/> past the projects quota, <see cref="InvalidParameterException"/> for a bad name or tags.</exception>
    Task<CreateProjectResponse> CreateProjectAsync(CreateProjectRequest request, CancellationToken cancellationToken = default);
    /// <summary>Lists projects in the order they were created, optionally only those named in <c>ProjectNames</c>; pages with <c>MaxResults</c> and <c>NextToken</c>.</summary>
    /// <exception cref="AmazonRekognitionException"><see cref="InvalidPaginationTokenException"/> for an altered or foreign token, <see cref="InvalidParameterException"/> for bad filters or page sizes.</exception>
    Task<DescribeProjectsResponse> DescribeProjectsAsync(DescribeProjectsRequest request, CancellationToken cancellationToken = default);
    /// <summary>Deletes a project that has no model versions left, with its datasets.</summary>
    /// <exception cref="AmazonRekognitionException"><see cref="ResourceNotFoundException"/> for an unknown ARN, <see cref="ResourceInUseException"/> while versions exist.</exception>
    Task<DeleteProjectResponse> DeleteProjectAsync(DeleteProjectRequest request, CancellationToken cancellationToken = default);

    // Datasets
    /// <summary>Creates a project's training or test dataset, from a Ground Truth manifest, by copying another dataset, or empty; the import and validation run in the background (poll <see cref="DescribeDatasetAsync"/>).</summary>
    /// <exception cref="AmazonRekognitionException"><see cref="ResourceAlreadyExistsException"/> when the project has a dataset of that type, <see cref="ResourceNotFoundException"/> for an unknown project, <see cref="InvalidS3ObjectException"/> for a manifest that cannot be read, <see cref="InvalidParameterException"/> for a bad request.</exception>
    Task<CreateDatasetResponse> CreateDatasetAsync(CreateDatasetRequest request, CancellationToken cancellationToken = default);
    /// <summary>Describes a dataset: its status (<c>CREATE_IN_PROGRESS</c> until an import ends), status message and entry statistics.</summary>
    /// <exception cref="AmazonRekognitionException"><see cref="ResourceNotFoundException"/> for an unknown dataset ARN.</exception>
    Task<DescribeDatasetResponse> DescribeDatasetAsync(DescribeDatasetRequest request, CancellationToken cancellationToken = default);
    /// <summary>Deletes a dataset and its entries.</summary>
    /// <exception cref="AmazonRekognitionException"><see cref="ResourceNotFoundException"/> for an unknown dataset, <see cref="ResourceInUseException"/> while it is being created or updated.</exception>
    Task<DeleteDatasetResponse> DeleteDatasetAsync(DeleteDatasetRequest request, CancellationToken cancellationToken = default);
    /// <summary>Lists a dataset's JSON lines, filtered by labels, labelling, <c>source-ref</c> text or errors; paged.</summary>
    /// <exception cref="AmazonRekognitionException"><see cref="ResourceNotFoundException"/> for an unknown dataset, <see cref="ResourceNotReadyException"/> while it is being created, <see cref="InvalidPaginationTokenException"/> for a bad token.</exception>
    Task<ListDatasetEntriesResponse> ListDatasetEntriesAsync(ListDatasetEntriesRequest request, CancellationToken cancellationToken = default);
    /// <summary>Lists the labels a dataset uses, with how many entries and boxes carry each; paged.</summary>
    /// <exception cref="AmazonRekognitionException"><see cref="ResourceNotFoundException"/> for an unknown dataset, <see cref="ResourceNotReadyException"/> while it is being created, <see cref="InvalidPaginationTokenException"/> for a bad token.</exception>
    Task<ListDatasetLabelsResponse> ListDatasetLabelsAsync(ListDatasetLabelsRequest request, CancellationToken cancellationToken = default);
    /// <summary>Adds or replaces dataset entries (JSON lines keyed by <c>source-ref</c>); validation runs in the background and the dataset goes to <c>UPDATE_IN_PROGRESS</c>.</summary>
    /// <exception cref="AmazonRekognitionException"><see cref="ResourceNotFoundException"/> for an unknown dataset, <see cref="ResourceInUseException"/> during another update, <see cref="InvalidParameterException"/> for changes that are too large or not JSON lines.</exception>
    Task<UpdateDatasetEntriesResponse> UpdateDatasetEntriesAsync(UpdateDatasetEntriesRequest request, CancellationToken cancellationToken = default);
    /// <summary>Moves a stratified 20 % of a project's training entries into its empty test dataset, in the background.</summary>
    /// <exception cref="AmazonRekognitionException"><see cref="ResourceNotFoundException"/> for unknown datasets, <see cref="ResourceNotReadyException"/> while one is not ready, <see cref="InvalidParameterException"/> unless a training and a test dataset of one project are given.</exception>
    Task<DistributeDatasetEntriesResponse> DistributeDatasetEntriesAsync(DistributeDatasetEntriesRequest request, CancellationToken cancellationToken = default);

    // Model versions
    /// <summary>Trains a new model version from the project's datasets (or the given manifests): validation, training, evaluation on the test set, all in the background (poll <see cref="DescribeProjectVersionsAsync"/>).</summary>
    /// <exception cref="AmazonRekognitionException"><see cref="ResourceNotFoundException"/> for an unknown project, <see cref="ResourceInUseException"/> while the datasets are busy, <see cref="LimitExceededException"/> past the concurrent trainings quota, <see cref="InvalidParameterException"/> for a bad name or output location.</exception>
    Task<CreateProjectVersionResponse> CreateProjectVersionAsync(CreateProjectVersionRequest request, CancellationToken cancellationToken = default);
    /// <summary>Describes a project's model versions: status, training and evaluation results, manifest summaries, inference units; filtered by <c>VersionNames</c>, paged.</summary>
    /// <exception cref="AmazonRekognitionException"><see cref="ResourceNotFoundException"/> for an unknown project, <see cref="InvalidPaginationTokenException"/> for a bad token.</exception>
    Task<DescribeProjectVersionsResponse> DescribeProjectVersionsAsync(DescribeProjectVersionsRequest request, CancellationToken cancellationToken = default);
    /// <summary>Deletes a model version that is not running, training or being copied.</summary>
    /// <exception cref="AmazonRekognitionException"><see cref="ResourceNotFoundException"/> for an unknown version, <see cref="ResourceInUseException"/> while it runs or trains.</exception>
    Task<DeleteProjectVersionResponse> DeleteProjectVersionAsync(DeleteProjectVersionRequest request, CancellationToken cancellationToken = default);
    /// <summary>Starts a trained model version on <c>MinInferenceUnits</c> inference units (up to <c>MaxInferenceUnits</c> under load), in the background; it can then answer <see cref="DetectCustomLabelsAsync"/>.</summary>
    /// <exception cref="AmazonRekognitionException"><see cref="ResourceNotFoundException"/> for an unknown version, <see cref="ResourceInUseException"/> when it is not in a startable state, <see cref="InvalidParameterException"/> for bad unit counts.</exception>
    Task<StartProjectVersionResponse> StartProjectVersionAsync(StartProjectVersionRequest request, CancellationToken cancellationToken = default);
    /// <summary>Stops a running model version and frees its inference units.</summary>
    /// <exception cref="AmazonRekognitionException"><see cref="ResourceNotFoundException"/> for an unknown version, <see cref="ResourceInUseException"/> when it is not running.</exception>
    Task<StopProjectVersionResponse> StopProjectVersionAsync(StopProjectVersionRequest request, CancellationToken cancellationToken = default);
    /// <summary>Copies a trained model version into another project, as allowed by the source project's policies; in the background.</summary>
    /// <exception cref="AmazonRekognitionException"><see cref="AccessDeniedException"/> when no policy allows it, <see cref="ResourceNotFoundException"/> for unknown projects or versions, <see cref="ResourceInUseException"/> when the source is not trained, <see cref="LimitExceededException"/> past quotas.</exception>
    Task<CopyProjectVersionResponse> CopyProjectVersionAsync(CopyProjectVersionRequest request, CancellationToken cancellationToken = default);
    /// <summary>Asks a running model version about one image (bytes or an object in a bucket): labels with confidences at or above <c>MinConfidence</c> (or each label's assumed threshold), with boxes for detectors.</summary>
    /// <exception cref="AmazonRekognitionException"><see cref="ResourceNotReadyException"/> when the version is not running, <see cref="ResourceNotFoundException"/> for an unknown version, <see cref="InvalidImageFormatException"/>, <see cref="ImageTooLargeException"/> or <see cref="InvalidS3ObjectException"/> for the image, <see cref="ProvisionedThroughputExceededException"/> when its units are saturated.</exception>
    Task<DetectCustomLabelsResponse> DetectCustomLabelsAsync(DetectCustomLabelsRequest request, CancellationToken cancellationToken = default);

    // Tags
    /// <summary>Adds or replaces tags on a project, dataset or model version.</summary>
    /// <exception cref="AmazonRekognitionException"><see cref="ResourceNotFoundException"/> for an unknown ARN, <see cref="InvalidParameterException"/> for bad keys or values or too many tags.</exception>
    Task<TagResourceResponse> TagResourceAsync(TagResourceRequest request, CancellationToken cancellationToken = default);
    /// <summary>Removes tags from a resource by key.</summary>
    /// <exception cref="AmazonRekognitionException"><see cref="ResourceNotFoundException"/> for an unknown ARN, <see cref="InvalidParameterException"/> for bad keys.</exception>
    Task<UntagResourceResponse> UntagResourceAsync(UntagResourceRequest request, CancellationToken cancellationToken = default);
    /// <summary>Lists a resource's tags.</summary>
    /// <exception cref="AmazonRekognitionException"><see cref="ResourceNotFoundException"/> for an unknown ARN.</exception>
    Task<ListTagsForResourceResponse> ListTagsForResourceAsync(ListTagsForResourceRequest request, CancellationToken cancellationToken = default);

    // Project policies
    /// <summary>Attaches or replaces a project policy (an IAM-style JSON document that lets other accounts copy the project's versions); returns its revision id.</summary>
    /// <exception cref="AmazonRekognitionException"><see cref="MalformedPolicyDocumentException"/> for a bad document, <see cref="InvalidPolicyRevisionIdException"/> for a stale revision, <see cref="LimitExceededException"/> past 5 policies, <see cref="ResourceNotFoundException"/> for an unknown project.</exception>
    Task<PutProjectPolicyResponse> PutProjectPolicyAsync(PutProjectPolicyRequest request, CancellationToken cancellationToken = default);
    /// <summary>Lists a project's policies with their documents and revision ids; paged.</summary>
    /// <exception cref="AmazonRekognitionException"><see cref="ResourceNotFoundException"/> for an unknown project, <see cref="InvalidPaginationTokenException"/> for a bad token.</exception>
    Task<ListProjectPoliciesResponse> ListProjectPoliciesAsync(ListProjectPoliciesRequest request, CancellationToken cancellationToken = default);
    /// <summary>Deletes a project policy, optionally only at a given revision.</summary>
    /// <exception cref="AmazonRekognitionException"><see cref="ResourceNotFoundException"/> for an unknown project or policy, <see cref="InvalidPolicyRevisionIdException"/> for a stale revision.</exception>
    Task<DeleteProjectPolicyResponse> DeleteProjectPolicyAsync(DeleteProjectPolicyRequest request, CancellationToken cancellationToken = default);
}
