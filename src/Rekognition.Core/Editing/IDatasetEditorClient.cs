using Rekognition.Core.Model;

namespace Rekognition.Core.Editing;

/// <summary>An entry of a dataset as an editor reads it: its line and the revision a save must name.</summary>
/// <param name="SourceRef">The image's source-ref.</param>
/// <param name="Line">The Ground Truth line, as ListDatasetEntries returns it.</param>
/// <param name="Revision">1 when the entry was written, one more at each replacement.</param>
public sealed record EditableEntry(string SourceRef, string Line, long Revision);

/// <summary>One page of <see cref="IDatasetEditorClient.ListEntriesAsync"/>.</summary>
/// <param name="Entries">The entries of the page.</param>
/// <param name="NextToken">The token of the next page; null on the last one.</param>
public sealed record EditableEntryPage(IReadOnlyList<EditableEntry> Entries, string? NextToken);

/// <summary>
/// Editing a dataset's labels (not service operations): entries read with their revisions and saved with a stale-save
/// check, the dataset's label set managed, and the dataset exported. Saves are UpdateDatasetEntries changes applied
/// before the call returns, validated as the service validates them. Registered by AddRekognitionCustomLabels.
/// </summary>
public interface IDatasetEditorClient
{
    /// <summary>ListDatasetEntries (same filters, limits and errors), with each entry's revision.</summary>
    Task<EditableEntryPage> ListEntriesAsync(ListDatasetEntriesRequest request, CancellationToken cancellationToken = default);

    /// <summary>The entry of the dataset with exactly this source-ref, with its revision.</summary>
    /// <exception cref="ResourceNotFoundException">The dataset has no entry with that source-ref.</exception>
    Task<EditableEntry> GetEntryAsync(string datasetArn, string sourceRef, CancellationToken cancellationToken = default);

    /// <summary>
    /// Saves one Ground Truth line as UpdateDatasetEntries would (it replaces the entry with its source-ref, or adds one)
    /// and returns the entry's new revision. With <paramref name="expectedRevision"/>, the save is refused when the entry
    /// has changed since (or, for 0, when it exists).
    /// </summary>
    /// <exception cref="InvalidParameterException">The line breaks one of the service's rules; the message starts with its code.</exception>
    /// <exception cref="ResourceInUseException">The entry changed since it was read, or another operation runs on the dataset.</exception>
    Task<long> SaveEntryAsync(string datasetArn, string line, long? expectedRevision = null, CancellationToken cancellationToken = default);

    /// <summary>Adds a label to the dataset's label set (ListDatasetLabels lists it with no entries).</summary>
    Task AddLabelAsync(string datasetArn, string label, CancellationToken cancellationToken = default);

    /// <summary>Renames a label: every entry that uses it is rewritten. Refused when <paramref name="newName"/> is already a label (merge them instead).</summary>
    Task<int> RenameLabelAsync(string datasetArn, string label, string newName, CancellationToken cancellationToken = default);

    /// <summary>Merges <paramref name="label"/> into <paramref name="into"/>: every use of the first becomes a use of the second; the first is gone. Returns the entries rewritten.</summary>
    Task<int> MergeLabelsAsync(string datasetArn, string label, string into, CancellationToken cancellationToken = default);

    /// <summary>Deletes a label from the dataset's label set; refused while an entry uses it.</summary>
    Task DeleteLabelAsync(string datasetArn, string label, CancellationToken cancellationToken = default);

    /// <summary>Writes the dataset as a SageMaker Ground Truth manifest (JSON Lines, import order), which CreateDataset imports again.</summary>
    Task ExportManifestAsync(string datasetArn, Stream destination, CancellationToken cancellationToken = default);

    /// <summary>Writes the dataset as COCO JSON: images (file_name is the source-ref), categories (every label) and the boxes as annotations.</summary>
    Task ExportCocoAsync(string datasetArn, Stream destination, CancellationToken cancellationToken = default);

    /// <summary>The image of one entry of the dataset, read beneath its root; only images the dataset's entries name can be opened.</summary>
    /// <exception cref="ResourceNotFoundException">The dataset has no entry with that source-ref.</exception>
    /// <exception cref="InvalidS3ObjectException">The image cannot be read.</exception>
    Task<Stream> OpenImageAsync(string datasetArn, string sourceRef, CancellationToken cancellationToken = default);

    /// <summary>
    /// The thumbnail of an entry's image (the longest side <paramref name="side"/> px) stored earlier with
    /// <see cref="StoreThumbnailAsync"/>, by this host or another on the same store; null when none is stored.
    /// </summary>
    /// <exception cref="ResourceNotFoundException">The dataset has no entry with that source-ref.</exception>
    Task<byte[]?> FindThumbnailAsync(string datasetArn, string sourceRef, int side, CancellationToken cancellationToken = default);

    /// <summary>Stores an entry image's thumbnail (a JPEG of at most 4 MB) in the store's objects, beside the models.</summary>
    /// <exception cref="ResourceNotFoundException">The dataset has no entry with that source-ref.</exception>
    /// <exception cref="InvalidParameterException">The thumbnail is not a JPEG, or too large.</exception>
    Task StoreThumbnailAsync(string datasetArn, string sourceRef, int side, ReadOnlyMemory<byte> jpeg, CancellationToken cancellationToken = default);
}
