namespace Rekognition.Core.Catalog;

/// <summary>The entries (JSON lines) of datasets and the labels they use.</summary>
public interface IEntryCatalog
{
    /// <summary>One page of a dataset's entries after row id <paramref name="afterId"/> that pass <paramref name="filter"/>.</summary>
    List<(long Id, string Line)> ListEntries(long datasetId, EntryFilter filter, long afterId, int limit);

    /// <summary>One page of a dataset's labels with their counts, after <paramref name="afterLabel"/>.</summary>
    List<LabelCount> ListLabels(long datasetId, string? afterLabel, int limit);

    /// <summary>Copies every entry, label use and declared label of one dataset into another.</summary>
    void CopyAll(ICatalogTransaction transaction, long fromDatasetId, long toDatasetId);

    /// <summary>Writes a dataset's lines (all, only <paramref name="only"/>, or all but <paramref name="except"/>) as JSON Lines, in import order.</summary>
    void WriteManifest(long datasetId, Stream destination, IReadOnlySet<long>? only = null, IReadOnlySet<long>? except = null);

    /// <summary>Every entry of a dataset with the labels it carries, for splitting.</summary>
    List<(long Id, string[] Labels)> EntriesWithLabels(long datasetId, ICatalogTransaction? transaction = null);

    /// <summary>Moves entries (with their label uses) from one dataset to another and extends the target's label set.</summary>
    void MoveEntries(ICatalogTransaction transaction, long fromDatasetId, long toDatasetId, IEnumerable<long> entryIds);

    /// <summary>A writer of many entries inside <paramref name="transaction"/>. <paramref name="mayReplace"/>: false for a new dataset whose lines are distinct.</summary>
    IEntryWriter OpenWriter(ICatalogTransaction transaction, long datasetId, bool mayReplace);

    /// <summary>The revisions of the entries of a dataset with these source-refs (1 when written, +1 at each replacement); absent ones are left out.</summary>
    Dictionary<string, long> EntryRevisions(long datasetId, IReadOnlyCollection<string> sourceRefs, ICatalogTransaction? transaction = null);

    /// <summary>The line and revision of the entry of a dataset with this source-ref (one unique-index lookup); null when there is none.</summary>
    (string Line, long Revision)? FindEntry(long datasetId, string sourceRef);

    /// <summary>Adds a label to a dataset's declared label set (no entry needs to use it).</summary>
    void DeclareLabel(ICatalogTransaction transaction, long datasetId, string label);

    /// <summary>Removes a label from a dataset's declared label set when no entry uses it; false (nothing changed) when one does.</summary>
    bool RemoveUnusedLabel(ICatalogTransaction transaction, long datasetId, string label);
}
