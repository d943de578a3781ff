namespace Rekognition.Core.Model;

/// <summary>
/// The paginators of the operations that answer in pages, as the AWS SDK's <c>IRekognitionPaginatorFactory</c>
/// (<c>client.Paginators</c>): <c>await foreach (var project in client.Paginators.DescribeProjects(request).ProjectDescriptions)</c>.
/// Each paginator can be enumerated once.
/// </summary>
public interface IRekognitionPaginatorFactory
{
    /// <summary>Pages through DescribeProjects from <paramref name="request"/>.</summary>
    IDescribeProjectsPaginator DescribeProjects(DescribeProjectsRequest request);

    /// <summary>Pages through DescribeProjectVersions from <paramref name="request"/>.</summary>
    IDescribeProjectVersionsPaginator DescribeProjectVersions(DescribeProjectVersionsRequest request);

    /// <summary>Pages through ListDatasetEntries from <paramref name="request"/>.</summary>
    IListDatasetEntriesPaginator ListDatasetEntries(ListDatasetEntriesRequest request);

    /// <summary>Pages through ListDatasetLabels from <paramref name="request"/>.</summary>
    IListDatasetLabelsPaginator ListDatasetLabels(ListDatasetLabelsRequest request);

    /// <summary>Pages through ListProjectPolicies from <paramref name="request"/>.</summary>
    IListProjectPoliciesPaginator ListProjectPolicies(ListProjectPoliciesRequest request);
}

internal sealed class RekognitionPaginatorFactory(IAmazonRekognition client) : IRekognitionPaginatorFactory
{
    public IDescribeProjectsPaginator DescribeProjects(DescribeProjectsRequest request) => new DescribeProjectsPaginator(client, request);

    public IDescribeProjectVersionsPaginator DescribeProjectVersions(DescribeProjectVersionsRequest request) => new DescribeProjectVersionsPaginator(client, request);

    public IListDatasetEntriesPaginator ListDatasetEntries(ListDatasetEntriesRequest request) => new ListDatasetEntriesPaginator(client, request);

    public IListDatasetLabelsPaginator ListDatasetLabels(ListDatasetLabelsRequest request) => new ListDatasetLabelsPaginator(client, request);

    public IListProjectPoliciesPaginator ListProjectPolicies(ListProjectPoliciesRequest request) => new ListProjectPoliciesPaginator(client, request);
}
