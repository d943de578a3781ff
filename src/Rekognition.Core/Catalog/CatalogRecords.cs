namespace Rekognition.Core.Catalog;

/// <summary>A project row.</summary>
public sealed record ProjectRecord(long Id, string Name, string Arn, long CreatedMs, string Status, string Feature, string? AutoUpdate);

/// <summary>A dataset row: its identity and the status of the last operation on it.</summary>
public sealed record DatasetRecord(
    long Id,
    long ProjectId,
    string Type,
    string Arn,
    long CreatedMs,
    long UpdatedMs,
    string Status,
    string? StatusMessage,
    string? StatusMessageCode);

/// <summary>Counts shown in DescribeDataset.</summary>
public readonly record struct DatasetCounts(int TotalEntries, int LabeledEntries, int ErrorEntries, int TotalLabels);

/// <summary>A project policy row.</summary>
public sealed record PolicyRecord(string Name, string RevisionId, string Document, long CreatedMs, long UpdatedMs);

/// <summary>A model version row.</summary>
public sealed record VersionRecord(
    long Id,
    long ProjectId,
    string Name,
    string Arn,
    long CreatedMs,
    string Status,
    string? StatusMessage,
    int? MinUnits,
    int? MaxUnits,
    string? ArtifactKey, // an object key (StoreLayout), never a machine path
    ProjectVersionDetails Details);

/// <summary>What <see cref="IVersionCatalog.TryInsertCopy"/> did.</summary>
public enum CopyInsertOutcome
{
    /// <summary>The copy was inserted.</summary>
    Inserted,
    /// <summary>The project already has a version of that name.</summary>
    NameTaken,
    /// <summary>The project already runs the most copies allowed.</summary>
    TooManyCopies,
}

/// <summary>Filters of ListDatasetEntries, all optional.</summary>
public sealed record EntryFilter(IReadOnlyCollection<string>? ContainsLabels, bool? Labeled, string? SourceRefContains, bool? HasErrors);

/// <summary>One label of a dataset with its counts.</summary>
public readonly record struct LabelCount(string Label, int EntryCount, int BoundingBoxCount);
