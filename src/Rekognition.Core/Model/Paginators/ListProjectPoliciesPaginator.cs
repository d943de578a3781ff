using Amazon.Runtime;

namespace Rekognition.Core.Model;

/// <summary>The pages of ListProjectPolicies, as the AWS SDK's <c>IListProjectPoliciesPaginator</c>.</summary>
public interface IListProjectPoliciesPaginator : IPaginator<ListProjectPoliciesResponse>
{
    /// <summary>Every page's response.</summary>
    IPaginatedEnumerable<ListProjectPoliciesResponse> Responses { get; }

    /// <summary>The project policies of every page.</summary>
    IPaginatedEnumerable<ProjectPolicy> ProjectPolicies { get; }
}

internal sealed class ListProjectPoliciesPaginator(IAmazonRekognition client, ListProjectPoliciesRequest request)
    : Paginator<ListProjectPoliciesRequest, ListProjectPoliciesResponse>(request, client.ListProjectPoliciesAsync), IListProjectPoliciesPaginator
{
    public IPaginatedEnumerable<ProjectPolicy> ProjectPolicies => ResultKey(response => response.ProjectPolicies);
}
