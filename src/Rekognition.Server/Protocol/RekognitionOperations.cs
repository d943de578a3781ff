using Rekognition.Core;
using Rekognition.Core.Model;
using static Rekognition.Server.Protocol.OperationHandler;

namespace Rekognition.Server.Protocol;

/// <summary>
/// The dispatch table: operation name (as in <c>X-Amz-Target: RekognitionService.&lt;Operation&gt;</c>)
/// to its handler. Adding an operation is one line here (and its types in the JSON context).
/// </summary>
internal static class RekognitionOperations
{
    /// <summary>The prefix of every <c>X-Amz-Target</c> of the service.</summary>
    public const string TargetPrefix = "RekognitionService.";

    /// <summary>Every operation the endpoint serves.</summary>
    public static IReadOnlyDictionary<string, OperationHandler> All { get; } = new Dictionary<string, OperationHandler>(StringComparer.Ordinal)
    {
        ["CreateProject"] = Handle<CreateProjectRequest, CreateProjectResponse>((c, r, t) => c.CreateProjectAsync(r, t)),
        ["DescribeProjects"] = Handle<DescribeProjectsRequest, DescribeProjectsResponse>((c, r, t) => c.DescribeProjectsAsync(r, t)),
        ["DeleteProject"] = Handle<DeleteProjectRequest, DeleteProjectResponse>((c, r, t) => c.DeleteProjectAsync(r, t)),
        ["CreateDataset"] = Handle<CreateDatasetRequest, CreateDatasetResponse>((c, r, t) => c.CreateDatasetAsync(r, t)),
        ["DescribeDataset"] = Handle<DescribeDatasetRequest, DescribeDatasetResponse>((c, r, t) => c.DescribeDatasetAsync(r, t)),
        ["DeleteDataset"] = Handle<DeleteDatasetRequest, DeleteDatasetResponse>((c, r, t) => c.DeleteDatasetAsync(r, t)),
        ["ListDatasetEntries"] = Handle<ListDatasetEntriesRequest, ListDatasetEntriesResponse>((c, r, t) => c.ListDatasetEntriesAsync(r, t)),
        ["ListDatasetLabels"] = Handle<ListDatasetLabelsRequest, ListDatasetLabelsResponse>((c, r, t) => c.ListDatasetLabelsAsync(r, t)),
        ["UpdateDatasetEntries"] = Handle<UpdateDatasetEntriesRequest, UpdateDatasetEntriesResponse>((c, r, t) => c.UpdateDatasetEntriesAsync(r, t)),
        ["DistributeDatasetEntries"] = Handle<DistributeDatasetEntriesRequest, DistributeDatasetEntriesResponse>((c, r, t) => c.DistributeDatasetEntriesAsync(r, t)),
        ["DescribeProjectVersions"] = Handle<DescribeProjectVersionsRequest, DescribeProjectVersionsResponse>((c, r, t) => c.DescribeProjectVersionsAsync(r, t)),
        ["DeleteProjectVersion"] = Handle<DeleteProjectVersionRequest, DeleteProjectVersionResponse>((c, r, t) => c.DeleteProjectVersionAsync(r, t)),
        ["CreateProjectVersion"] = Handle<CreateProjectVersionRequest, CreateProjectVersionResponse>((c, r, t) => c.CreateProjectVersionAsync(r, t)),
        ["StartProjectVersion"] = Handle<StartProjectVersionRequest, StartProjectVersionResponse>((c, r, t) => c.StartProjectVersionAsync(r, t)),
        ["StopProjectVersion"] = Handle<StopProjectVersionRequest, StopProjectVersionResponse>((c, r, t) => c.StopProjectVersionAsync(r, t)),
        ["CopyProjectVersion"] = Handle<CopyProjectVersionRequest, CopyProjectVersionResponse>((c, r, t) => c.CopyProjectVersionAsync(r, t)),
        ["DetectCustomLabels"] = Handle<DetectCustomLabelsRequest, DetectCustomLabelsResponse>((c, r, t) => c.DetectCustomLabelsAsync(r, t)),
        ["TagResource"] = Handle<TagResourceRequest, TagResourceResponse>((c, r, t) => c.TagResourceAsync(r, t)),
        ["UntagResource"] = Handle<UntagResourceRequest, UntagResourceResponse>((c, r, t) => c.UntagResourceAsync(r, t)),
        ["ListTagsForResource"] = Handle<ListTagsForResourceRequest, ListTagsForResourceResponse>((c, r, t) => c.ListTagsForResourceAsync(r, t)),
        ["PutProjectPolicy"] = Handle<PutProjectPolicyRequest, PutProjectPolicyResponse>((c, r, t) => c.PutProjectPolicyAsync(r, t)),
        ["ListProjectPolicies"] = Handle<ListProjectPoliciesRequest, ListProjectPoliciesResponse>((c, r, t) => c.ListProjectPoliciesAsync(r, t)),
        ["DeleteProjectPolicy"] = Handle<DeleteProjectPolicyRequest, DeleteProjectPolicyResponse>((c, r, t) => c.DeleteProjectPolicyAsync(r, t)),
    };
}
