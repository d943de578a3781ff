using Amazon.Runtime;

namespace Rekognition.Core.Model;

/// <summary>The pages of ListDatasetEntries, as the AWS SDK's <c>IListDatasetEntriesPaginator</c>.</summary>
public interface IListDatasetEntriesPaginator : IPaginator<ListDatasetEntriesResponse>
{
    /// <summary>Every page's response.</summary>
    IPaginatedEnumerable<ListDatasetEntriesResponse> Responses { get; }

    /// <summary>The dataset entries (JSON Lines) of every page.</summary>
    IPaginatedEnumerable<string> DatasetEntries { get; }
}

internal sealed class ListDatasetEntriesPaginator(IAmazonRekognition client, ListDatasetEntriesRequest request)
    : Paginator<ListDatasetEntriesRequest, ListDatasetEntriesResponse>(request, client.ListDatasetEntriesAsync), IListDatasetEntriesPaginator
{
    public IPaginatedEnumerable<string> DatasetEntries => ResultKey(response => response.DatasetEntries);
}
