using Rekognition.Core.Model;

namespace Rekognition.Core.Catalog;

/// <summary>Datasets in the catalog and the status of the operation last run on each.</summary>
public interface IDatasetCatalog
{
    /// <summary>Inserts a dataset whose creation is starting; false when the project already has one of that type.</summary>
    bool TryInsert(ICatalogTransaction? transaction, long projectId, string type, string arn, long nowMs, out long id);

    /// <summary>The dataset with that ARN; null when there is none.</summary>
    DatasetRecord? FindByArn(string arn, ICatalogTransaction? transaction = null);

    /// <summary>A project's datasets, TRAIN before TEST.</summary>
    List<DatasetRecord> ListForProject(long projectId, ICatalogTransaction? transaction = null);

    /// <summary>The datasets of several projects in one query (a DescribeProjects page), TRAIN before TEST within each.</summary>
    List<DatasetRecord> ListForProjects(IReadOnlyCollection<long> projectIds);

    /// <summary>Moves a dataset into <paramref name="inProgress"/> unless an operation already runs on it (one check-and-change).</summary>
    bool TryBeginOperation(ICatalogTransaction? transaction, long datasetId, DatasetStatus inProgress, long nowMs);

    /// <summary>Records how the running operation ended.</summary>
    void FinishOperation(ICatalogTransaction? transaction, long datasetId, DatasetStatus status, string message, DatasetStatusMessageCode code, long nowMs);

    /// <summary>The dataset's entry and label counts, read together.</summary>
    DatasetCounts Counts(long datasetId);

    /// <summary>How many entries a dataset has.</summary>
    long CountEntries(ICatalogTransaction? transaction, long datasetId);

    /// <summary>How many distinct labels a dataset has.</summary>
    long CountLabels(ICatalogTransaction? transaction, long datasetId);

    /// <summary>Deletes the dataset with its entries, labels and tags, inside <paramref name="transaction"/>.</summary>
    void Delete(ICatalogTransaction transaction, DatasetRecord dataset);

    /// <summary>Operations in progress with no job on the project's datasets (a schema-3 process's) become failed; returns how many.</summary>
    int RecoverInterrupted(long nowMs);
}
