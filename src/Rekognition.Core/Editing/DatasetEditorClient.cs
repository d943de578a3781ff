using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Rekognition.Core.Arns;
using Rekognition.Core.Catalog;
using Rekognition.Core.Datasets;
using Rekognition.Core.Images;
using Rekognition.Core.Model;
using Rekognition.Core.Requests;
using Rekognition.Core.Services;
using Rekognition.Core.Storage;
using Rekognition.Core.Validation;

namespace Rekognition.Core.Editing;

/// <summary>
/// Label editing over the catalog: a save or a label change takes the dataset's operation slot (as UpdateDatasetEntries
/// does, so it never races an import), checks what it must, and runs the importer's UpdateDatasetEntries path in the
/// caller's call instead of in the background.
/// </summary>
internal sealed class DatasetEditorClient(
    IAmazonRekognition client, ICatalog catalog, RekognitionOptions options, SourceRefResolver resolver, ResourceLookup lookup, StoreClock clock,
    StoredThumbnails thumbnails, ILogger<DatasetEditorClient> logger) : IDatasetEditorClient
{
    private const int ScanPage = 1000;

    /// <inheritdoc />
    public async Task<EditableEntryPage> ListEntriesAsync(ListDatasetEntriesRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var page = await client.ListDatasetEntriesAsync(request, cancellationToken).ConfigureAwait(false);
        var dataset = lookup.Dataset(request.DatasetArn, "DatasetArn");
        var sourceRefs = page.DatasetEntries.Select(SourceRefOf).ToList();
        var revisions = catalog.Entries.EntryRevisions(dataset.Id, sourceRefs);
        var entries = new List<EditableEntry>(sourceRefs.Count);
        for (var i = 0; i < sourceRefs.Count; i++)
        {
            entries.Add(new EditableEntry(sourceRefs[i], page.DatasetEntries[i], revisions.GetValueOrDefault(sourceRefs[i])));
        }

        return new EditableEntryPage(entries, page.NextToken);
    }

    /// <inheritdoc />
    public Task<EditableEntry> GetEntryAsync(string datasetArn, string sourceRef, CancellationToken cancellationToken = default)
    {
        RequestValidation.Required(sourceRef, "SourceRef");
        var dataset = lookup.Dataset(datasetArn, "DatasetArn");
        var found = catalog.Entries.FindEntry(dataset.Id, sourceRef) ?? throw new ResourceNotFoundException("The dataset has no entry with that source-ref.");
        return Task.FromResult(new EditableEntry(sourceRef, found.Line, found.Revision));
    }

    /// <inheritdoc />
    public Task<long> SaveEntryAsync(string datasetArn, string line, long? expectedRevision = null, CancellationToken cancellationToken = default)
    {
        RequestValidation.Arn(datasetArn, "DatasetArn", ResourceKind.Dataset);
        ArgumentNullException.ThrowIfNull(line);
        var text = line.Trim();
        if (text.Length == 0)
        {
            throw new InvalidParameterException("Changes.GroundTruth is empty: pass one or more JSON lines.");
        }

        if (text.Contains('\n', StringComparison.Ordinal))
        {
            throw new InvalidParameterException("A save is one JSON line; it has a line break.");
        }

        var bytes = Encoding.UTF8.GetBytes(text);
        if (bytes.Length > options.Limits.MaxChangesBytes)
        {
            throw new InvalidParameterException(
                $"Changes.GroundTruth is {bytes.Length} bytes; it must be smaller than {options.Limits.MaxChangesBytes} bytes (5 MB). Send the lines in several calls.");
        }

        var sourceRef = Check(bytes, cancellationToken);
        var dataset = lookup.Dataset(datasetArn, "DatasetArn");
        InOperation(dataset, () =>
        {
            var current = catalog.Entries.EntryRevisions(dataset.Id, [sourceRef]).GetValueOrDefault(sourceRef);
            if (expectedRevision is { } expected && expected != current)
            {
                throw new ResourceInUseException(current == 0
                    ? $"The entry {sourceRef} is gone (it was at revision {expected} when you read it). Reload it before saving."
                    : $"The entry {sourceRef} was changed since you read it (revision {expected}, now {current}). Reload it and apply your change again.");
            }

            return bytes;
        }, cancellationToken);
        return Task.FromResult(catalog.Entries.EntryRevisions(dataset.Id, [sourceRef]).GetValueOrDefault(sourceRef));
    }

    /// <inheritdoc />
    public Task AddLabelAsync(string datasetArn, string label, CancellationToken cancellationToken = default)
    {
        CheckLabel(label, "LabelName");
        var dataset = lookup.Dataset(datasetArn, "DatasetArn");
        using var transaction = catalog.BeginTransaction();
        catalog.Entries.DeclareLabel(transaction, dataset.Id, label);
        if (catalog.Datasets.CountLabels(transaction, dataset.Id) > options.Limits.MaxLabels)
        {
            throw new LimitExceededException($"The dataset would have more than {options.Limits.MaxLabels} labels.");
        }

        transaction.Commit();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<int> RenameLabelAsync(string datasetArn, string label, string newName, CancellationToken cancellationToken = default) =>
        Task.FromResult(Rewrite(datasetArn, label, newName, merge: false, cancellationToken));

    /// <inheritdoc />
    public Task<int> MergeLabelsAsync(string datasetArn, string label, string into, CancellationToken cancellationToken = default) =>
        Task.FromResult(Rewrite(datasetArn, label, into, merge: true, cancellationToken));

    /// <inheritdoc />
    public Task DeleteLabelAsync(string datasetArn, string label, CancellationToken cancellationToken = default)
    {
        CheckLabel(label, "LabelName");
        var dataset = lookup.Dataset(datasetArn, "DatasetArn");
        if (!Labels(dataset.Id).Contains(label))
        {
            throw new ResourceNotFoundException($"The dataset has no label '{label}'.");
        }

        using var transaction = catalog.BeginTransaction();
        if (!catalog.Entries.RemoveUnusedLabel(transaction, dataset.Id, label))
        {
            var used = catalog.Entries.ListLabels(dataset.Id, null, int.MaxValue - 1).FirstOrDefault(l => l.Label == label).EntryCount;
            throw new InvalidParameterException($"The label '{label}' is used by {used} entries; relabel them (or merge the label into another) before deleting it.");
        }

        transaction.Commit();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task ExportManifestAsync(string datasetArn, Stream destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var dataset = lookup.Dataset(datasetArn, "DatasetArn");
        // The catalog writes synchronously; a response body may not take synchronous writes, so go through a buffer file.
        await using var buffer = new FileStream(Path.GetTempFileName(), FileMode.Open, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
        catalog.Entries.WriteManifest(dataset.Id, buffer);
        buffer.Position = 0;
        await buffer.CopyToAsync(destination, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task ExportCocoAsync(string datasetArn, Stream destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var dataset = lookup.Dataset(datasetArn, "DatasetArn");
        var entries = new List<EntryAnnotations>();
        foreach (var line in AllLines(dataset.Id, null))
        {
            cancellationToken.ThrowIfCancellationRequested();
            entries.Add(EntryAnnotations.Parse(line));
        }

        await CocoExport.WriteAsync(entries, Labels(dataset.Id), ImageSize, destination, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task<byte[]?> FindThumbnailAsync(string datasetArn, string sourceRef, int side, CancellationToken cancellationToken = default) =>
        thumbnails.ReadAsync(EntryDataset(datasetArn, sourceRef), sourceRef, ThumbnailSide(side), cancellationToken);

    /// <inheritdoc />
    public Task StoreThumbnailAsync(string datasetArn, string sourceRef, int side, ReadOnlyMemory<byte> jpeg, CancellationToken cancellationToken = default)
    {
        var dataset = EntryDataset(datasetArn, sourceRef);
        if (jpeg.Length is < 3 or > 4 << 20 || !jpeg.Span.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]))
        {
            throw new InvalidParameterException("A thumbnail is a JPEG of at most 4 MB.");
        }

        return thumbnails.WriteAsync(dataset, sourceRef, ThumbnailSide(side), jpeg, cancellationToken);
    }

    private static int ThumbnailSide(int side) =>
        side is >= 16 and <= 1024 ? side : throw new InvalidParameterException("A thumbnail's side is between 16 and 1024 px.");

    // The dataset of an existing entry: thumbnails are kept only for images the dataset's entries name.
    private DatasetRecord EntryDataset(string datasetArn, string sourceRef)
    {
        RequestValidation.Required(sourceRef, "SourceRef");
        var dataset = lookup.Dataset(datasetArn, "DatasetArn");
        if (catalog.Entries.EntryRevisions(dataset.Id, [sourceRef]).Count == 0)
        {
            throw new ResourceNotFoundException("The dataset has no entry with that source-ref.");
        }

        return dataset;
    }

    /// <inheritdoc />
    public Task<Stream> OpenImageAsync(string datasetArn, string sourceRef, CancellationToken cancellationToken = default)
    {
        EntryDataset(datasetArn, sourceRef);
        var resolved = resolver.Resolve(sourceRef);
        var stream = resolved.IsResolved ? resolver.OpenRead(resolved.LocalPath!, out _) : null;
        return Task.FromResult<Stream>(stream ?? throw new InvalidS3ObjectException("The entry's image cannot be read from its bucket."));
    }

    private int Rewrite(string datasetArn, string label, string newName, bool merge, CancellationToken cancellationToken)
    {
        CheckLabel(label, "LabelName");
        CheckLabel(newName, merge ? "Into" : "NewName");
        if (label == newName)
        {
            throw new InvalidParameterException($"The label is already called '{newName}'.");
        }

        var dataset = lookup.Dataset(datasetArn, "DatasetArn");
        var labels = Labels(dataset.Id);
        if (!labels.Contains(label))
        {
            throw new ResourceNotFoundException($"The dataset has no label '{label}'.");
        }

        if (merge && !labels.Contains(newName))
        {
            throw new ResourceNotFoundException($"The dataset has no label '{newName}' to merge into.");
        }

        if (!merge && labels.Contains(newName))
        {
            throw new InvalidParameterException($"The dataset already has a label '{newName}'; merge '{label}' into it instead.");
        }

        var rewritten = 0;
        InOperation(dataset, () =>
        {
            var text = new StringBuilder();
            foreach (var line in AllLines(dataset.Id, [label]))
            {
                var json = EntryAnnotations.Object(line);
                json.Remove("errors");
                json.Remove("warnings");
                if (LabelRewriter.Rename(json, label, newName))
                {
                    text.Append(json.ToJsonString()).Append('\n');
                    rewritten++;
                }
            }

            return text.Length == 0 ? null : Encoding.UTF8.GetBytes(text.ToString());
        }, cancellationToken);

        using var transaction = catalog.BeginTransaction();
        catalog.Entries.RemoveUnusedLabel(transaction, dataset.Id, label);
        catalog.Entries.DeclareLabel(transaction, dataset.Id, newName);
        transaction.Commit();
        return rewritten;
    }

    /// <summary>
    /// Runs <paramref name="changes"/> while the dataset's operation slot is held, then applies the lines it returns
    /// with the importer's UpdateDatasetEntries path. With nothing to apply, or when it throws, the dataset's status
    /// goes back to what it was.
    /// </summary>
    private void InOperation(DatasetRecord dataset, Func<byte[]?> changes, CancellationToken cancellationToken)
    {
        if (!catalog.Datasets.TryBeginOperation(null, dataset.Id, DatasetStatus.UPDATE_IN_PROGRESS, clock.NowMs()))
        {
            throw new ResourceInUseException("Another operation is running on this dataset; wait for DescribeDataset to report it finished, then retry.");
        }

        byte[]? lines;
        try
        {
            lines = changes();
        }
        catch
        {
            Restore(dataset);
            throw;
        }

        if (lines is null)
        {
            Restore(dataset);
            return;
        }

        new DatasetImporter(catalog, options, resolver, logger, clock.NowMs).ApplyChanges(dataset.Id, lines, cancellationToken);
        var after = catalog.Datasets.FindByArn(dataset.Arn) ?? throw ResourceLookup.DatasetNotFound(dataset.Arn);
        if (after.Status != DatasetStatus.UPDATE_COMPLETE.Value)
        {
            throw new InvalidParameterException($"The dataset update failed ({after.Status}): {after.StatusMessage}");
        }
    }

    private void Restore(DatasetRecord dataset) =>
        catalog.Datasets.FinishOperation(null, dataset.Id, DatasetStatus.FindValue(dataset.Status), dataset.StatusMessage ?? string.Empty,
            DatasetStatusMessageCode.FindValue(dataset.StatusMessageCode ?? DatasetStatusMessageCode.SUCCESS.Value), dataset.UpdatedMs);

    /// <summary>The line's source-ref when it passes the service's line rules; otherwise the first error, code first.</summary>
    private string Check(byte[] line, CancellationToken cancellationToken)
    {
        var validator = new ManifestLineValidator(options.Limits, resolver, options.CheckImages);
        using var stream = new MemoryStream(line, writable: false);
        var checkedLine = validator.Validate(stream, null, cancellationToken).First();
        if (checkedLine.FileError is { } fileError)
        {
            throw new InvalidParameterException($"{fileError.Code}: {fileError.Message}");
        }

        if (checkedLine.Issues.FirstOrDefault(i => !i.IsWarning) is { } issue)
        {
            throw new InvalidParameterException($"{issue.Code}: {issue.Message}");
        }

        return checkedLine.SourceRef ?? throw new InvalidParameterException("The line has no source-ref.");
    }

    private HashSet<string> Labels(long datasetId)
    {
        var result = new HashSet<string>(StringComparer.Ordinal);
        string? after = null;
        while (true)
        {
            var page = catalog.Entries.ListLabels(datasetId, after, ScanPage);
            foreach (var row in page.Take(ScanPage))
            {
                result.Add(row.Label);
            }

            if (page.Count <= ScanPage)
            {
                return result;
            }

            after = page[ScanPage - 1].Label;
        }
    }

    private IEnumerable<string> AllLines(long datasetId, IReadOnlyCollection<string>? withLabels)
    {
        var filter = new EntryFilter(withLabels, null, null, null);
        long after = 0;
        while (true)
        {
            var page = catalog.Entries.ListEntries(datasetId, filter, after, ScanPage);
            foreach (var (_, line) in page.Take(ScanPage))
            {
                yield return line;
            }

            if (page.Count <= ScanPage)
            {
                yield break;
            }

            after = page[ScanPage - 1].Id;
        }
    }

    private (int Width, int Height)? ImageSize(string sourceRef)
    {
        var info = SourceContent.Read(resolver, sourceRef).Image;
        return info.IsOk ? (info.Width, info.Height) : null;
    }

    private static void CheckLabel(string? label, string member)
    {
        RequestValidation.Required(label, member);
        RequestValidation.Length(label!, member, 1, 255);
        if (string.IsNullOrWhiteSpace(label) || label.Trim() != label)
        {
            throw new InvalidParameterException($"{member} must not be blank or start or end with white space.");
        }
    }

    private static string SourceRefOf(string line) =>
        JsonNode.Parse(line)?["source-ref"]?.GetValue<string>() ?? string.Empty;
}
