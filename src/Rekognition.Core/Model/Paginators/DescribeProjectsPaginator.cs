using Amazon.Runtime;

namespace Rekognition.Core.Model;

/// <summary>The pages of DescribeProjects, as the AWS SDK's <c>IDescribeProjectsPaginator</c>.</summary>
public interface IDescribeProjectsPaginator : IPaginator<DescribeProjectsResponse>
{
    /// <summary>Every page's response.</summary>
    IPaginatedEnumerable<DescribeProjectsResponse> Responses { get; }

    /// <summary>The projects of every page.</summary>
    IPaginatedEnumerable<ProjectDescription> ProjectDescriptions { get; }
}

internal sealed class DescribeProjectsPaginator(IAmazonRekognition client, DescribeProjectsRequest request)
    : Paginator<DescribeProjectsRequest, DescribeProjectsResponse>(request, client.DescribeProjectsAsync), IDescribeProjectsPaginator
{
    public IPaginatedEnumerable<ProjectDescription> ProjectDescriptions => ResultKey(response => response.ProjectDescriptions);
}
