using Amazon.Runtime;

namespace Rekognition.Core.Model;

/// <summary>The pages of DescribeProjectVersions, as the AWS SDK's <c>IDescribeProjectVersionsPaginator</c>.</summary>
public interface IDescribeProjectVersionsPaginator : IPaginator<DescribeProjectVersionsResponse>
{
    /// <summary>Every page's response.</summary>
    IPaginatedEnumerable<DescribeProjectVersionsResponse> Responses { get; }

    /// <summary>The model versions of every page.</summary>
    IPaginatedEnumerable<ProjectVersionDescription> ProjectVersionDescriptions { get; }
}

internal sealed class DescribeProjectVersionsPaginator(IAmazonRekognition client, DescribeProjectVersionsRequest request)
    : Paginator<DescribeProjectVersionsRequest, DescribeProjectVersionsResponse>(request, client.DescribeProjectVersionsAsync), IDescribeProjectVersionsPaginator
{
    public IPaginatedEnumerable<ProjectVersionDescription> ProjectVersionDescriptions => ResultKey(response => response.ProjectVersionDescriptions);
}
