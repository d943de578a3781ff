using Amazon.Runtime;

namespace Rekognition.Core.Model;

/// <summary>The pages of ListDatasetLabels, as the AWS SDK's <c>IListDatasetLabelsPaginator</c>.</summary>
public interface IListDatasetLabelsPaginator : IPaginator<ListDatasetLabelsResponse>
{
    /// <summary>Every page's response.</summary>
    IPaginatedEnumerable<ListDatasetLabelsResponse> Responses { get; }

    /// <summary>The labels of every page.</summary>
    IPaginatedEnumerable<DatasetLabelDescription> DatasetLabelDescriptions { get; }
}

internal sealed class ListDatasetLabelsPaginator(IAmazonRekognition client, ListDatasetLabelsRequest request)
    : Paginator<ListDatasetLabelsRequest, ListDatasetLabelsResponse>(request, client.ListDatasetLabelsAsync), IListDatasetLabelsPaginator
{
    public IPaginatedEnumerable<DatasetLabelDescription> DatasetLabelDescriptions => ResultKey(response => response.DatasetLabelDescriptions);
}
