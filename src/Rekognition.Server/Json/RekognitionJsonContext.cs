using System.Text.Json.Serialization;
using Rekognition.Core.Model;

namespace Rekognition.Server.Json;

/// <summary>
/// Source-generated metadata for the request and response types of every operation the endpoint
/// serves. Member names are the model's (PascalCase, as declared); null members are not written.
/// Adding an operation: add its request and response here and one line to the operation table.
/// </summary>
[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNamingPolicy = JsonKnownNamingPolicy.Unspecified,
    GenerationMode = JsonSourceGenerationMode.Metadata)]
[JsonSerializable(typeof(CreateProjectRequest))]
[JsonSerializable(typeof(CreateProjectResponse))]
[JsonSerializable(typeof(DescribeProjectsRequest))]
[JsonSerializable(typeof(DescribeProjectsResponse))]
[JsonSerializable(typeof(DeleteProjectRequest))]
[JsonSerializable(typeof(DeleteProjectResponse))]
[JsonSerializable(typeof(CreateDatasetRequest))]
[JsonSerializable(typeof(CreateDatasetResponse))]
[JsonSerializable(typeof(DescribeDatasetRequest))]
[JsonSerializable(typeof(DescribeDatasetResponse))]
[JsonSerializable(typeof(DeleteDatasetRequest))]
[JsonSerializable(typeof(DeleteDatasetResponse))]
[JsonSerializable(typeof(ListDatasetEntriesRequest))]
[JsonSerializable(typeof(ListDatasetEntriesResponse))]
[JsonSerializable(typeof(ListDatasetLabelsRequest))]
[JsonSerializable(typeof(ListDatasetLabelsResponse))]
[JsonSerializable(typeof(UpdateDatasetEntriesRequest))]
[JsonSerializable(typeof(UpdateDatasetEntriesResponse))]
[JsonSerializable(typeof(DistributeDatasetEntriesRequest))]
[JsonSerializable(typeof(DistributeDatasetEntriesResponse))]
[JsonSerializable(typeof(DescribeProjectVersionsRequest))]
[JsonSerializable(typeof(DescribeProjectVersionsResponse))]
[JsonSerializable(typeof(DeleteProjectVersionRequest))]
[JsonSerializable(typeof(DeleteProjectVersionResponse))]
[JsonSerializable(typeof(CreateProjectVersionRequest))]
[JsonSerializable(typeof(CreateProjectVersionResponse))]
[JsonSerializable(typeof(StartProjectVersionRequest))]
[JsonSerializable(typeof(StartProjectVersionResponse))]
[JsonSerializable(typeof(StopProjectVersionRequest))]
[JsonSerializable(typeof(StopProjectVersionResponse))]
[JsonSerializable(typeof(CopyProjectVersionRequest))]
[JsonSerializable(typeof(CopyProjectVersionResponse))]
[JsonSerializable(typeof(DetectCustomLabelsRequest))]
[JsonSerializable(typeof(DetectCustomLabelsResponse))]
[JsonSerializable(typeof(TagResourceRequest))]
[JsonSerializable(typeof(TagResourceResponse))]
[JsonSerializable(typeof(UntagResourceRequest))]
[JsonSerializable(typeof(UntagResourceResponse))]
[JsonSerializable(typeof(ListTagsForResourceRequest))]
[JsonSerializable(typeof(ListTagsForResourceResponse))]
[JsonSerializable(typeof(PutProjectPolicyRequest))]
[JsonSerializable(typeof(PutProjectPolicyResponse))]
[JsonSerializable(typeof(ListProjectPoliciesRequest))]
[JsonSerializable(typeof(ListProjectPoliciesResponse))]
[JsonSerializable(typeof(DeleteProjectPolicyRequest))]
[JsonSerializable(typeof(DeleteProjectPolicyResponse))]
internal sealed partial class RekognitionJsonContext : JsonSerializerContext
{
}
