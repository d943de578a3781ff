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
    Task<CreateProjectResponse> CreateProjectAsync(CreateProjectRequest request, CancellationToken cancellationToken = default);
    Task<DescribeProjectsResponse> DescribeProjectsAsync(DescribeProjectsRequest request, CancellationToken cancellationToken = default);
    Task<DeleteProjectResponse> DeleteProjectAsync(DeleteProjectRequest request, CancellationToken cancellationToken = default);

    // Datasets
    Task<CreateDatasetResponse> CreateDatasetAsync(CreateDatasetRequest request, CancellationToken cancellationToken = default);
    Task<DescribeDatasetResponse> DescribeDatasetAsync(DescribeDatasetRequest request, CancellationToken cancellationToken = default);
    Task<DeleteDatasetResponse> DeleteDatasetAsync(DeleteDatasetRequest request, CancellationToken cancellationToken = default);
    Task<ListDatasetEntriesResponse> ListDatasetEntriesAsync(ListDatasetEntriesRequest request, CancellationToken cancellationToken = default);
    Task<ListDatasetLabelsResponse> ListDatasetLabelsAsync(ListDatasetLabelsRequest request, CancellationToken cancellationToken = default);
    Task<UpdateDatasetEntriesResponse> UpdateDatasetEntriesAsync(UpdateDatasetEntriesRequest request, CancellationToken cancellationToken = default);
    Task<DistributeDatasetEntriesResponse> DistributeDatasetEntriesAsync(DistributeDatasetEntriesRequest request, CancellationToken cancellationToken = default);

    // Model versions
    Task<CreateProjectVersionResponse> CreateProjectVersionAsync(CreateProjectVersionRequest request, CancellationToken cancellationToken = default);
    Task<DescribeProjectVersionsResponse> DescribeProjectVersionsAsync(DescribeProjectVersionsRequest request, CancellationToken cancellationToken = default);
    Task<DeleteProjectVersionResponse> DeleteProjectVersionAsync(DeleteProjectVersionRequest request, CancellationToken cancellationToken = default);
    Task<StartProjectVersionResponse> StartProjectVersionAsync(StartProjectVersionRequest request, CancellationToken cancellationToken = default);
    Task<StopProjectVersionResponse> StopProjectVersionAsync(StopProjectVersionRequest request, CancellationToken cancellationToken = default);
    Task<CopyProjectVersionResponse> CopyProjectVersionAsync(CopyProjectVersionRequest request, CancellationToken cancellationToken = default);
    Task<DetectCustomLabelsResponse> DetectCustomLabelsAsync(DetectCustomLabelsRequest request, CancellationToken cancellationToken = default);

    // Tags
    Task<TagResourceResponse> TagResourceAsync(TagResourceRequest request, CancellationToken cancellationToken = default);
    Task<UntagResourceResponse> UntagResourceAsync(UntagResourceRequest request, CancellationToken cancellationToken = default);
    Task<ListTagsForResourceResponse> ListTagsForResourceAsync(ListTagsForResourceRequest request, CancellationToken cancellationToken = default);

    // Project policies
    Task<PutProjectPolicyResponse> PutProjectPolicyAsync(PutProjectPolicyRequest request, CancellationToken cancellationToken = default);
    Task<ListProjectPoliciesResponse> ListProjectPoliciesAsync(ListProjectPoliciesRequest request, CancellationToken cancellationToken = default);
    Task<DeleteProjectPolicyResponse> DeleteProjectPolicyAsync(DeleteProjectPolicyRequest request, CancellationToken cancellationToken = default);
}
