using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Rekognition.Core.Catalog;
using Rekognition.Core.Diagnostics;
using Rekognition.Core.Images;
using Rekognition.Core.Model;
using Rekognition.Core.Storage;
using Rekognition.Core.Validation;

namespace Rekognition.Core.Datasets;

/// <summary>
/// Runs the background half of CreateDataset and UpdateDatasetEntries: streams the JSON lines through
/// the validator into the catalog inside one transaction, then applies the file-level rules (line
/// limit, the cumulative 20 % rule, the label limit). A terminal error rolls everything back, so a
/// failed operation never loses or half-changes stored entries; the dataset's status says what happened.
/// </summary>
internal sealed class DatasetImporter
{
    private readonly ICatalog _catalog;
    private readonly RekognitionOptions _options;
    private readonly SourceRefResolver _resolver;
    private readonly ILogger _logger;
    private readonly Func<long> _nowMs;

    public DatasetImporter(ICatalog catalog, RekognitionOptions options, SourceRefResolver resolver, ILogger logger, Func<long> nowMs)
    {
        _catalog = catalog;
        _options = options;
        _resolver = resolver;
        _logger = logger;
        _nowMs = nowMs;
    }

    /// <summary>Imports a manifest file into a dataset being created.</summary>
    public void ImportManifest(long datasetId, string manifestPath, CancellationToken cancellationToken)
    {
        // Opened beneath its root: a link swapped in since the request was checked is refused here too.
        using var stream = _resolver.OpenRead(manifestPath, out var failure, 1 << 16);
        if (stream is null)
        {
            DatasetLog.ManifestUnopenable(_logger, datasetId, failure, manifestPath);
            Fail(datasetId, DatasetStatus.CREATE_FAILED,
                ManifestFileError.Of(ValidationCodes.ManifestInaccessibleOrUnsupportedFormat, "The manifest file can no longer be read from its bucket."),
                DatasetStatusMessageCode.CLIENT_ERROR);
            return;
        }

        var length = stream.Length;
        if (length > _options.Limits.MaxManifestBytes)
        {
            Fail(datasetId, DatasetStatus.CREATE_FAILED,
                ManifestFileError.Of(ValidationCodes.ManifestSizeTooLarge, $"The file is {length} bytes; the limit is {_options.Limits.MaxManifestBytes}."),
                DatasetStatusMessageCode.CLIENT_ERROR);
            return;
        }

        Run(datasetId, stream, SourceRefResolver.FolderOf(manifestPath), DatasetStatus.CREATE_COMPLETE, DatasetStatus.CREATE_FAILED, mayReplace: false, cancellationToken);
    }

    /// <summary>Applies UpdateDatasetEntries changes: each line replaces the entry with its source-ref, or adds one.</summary>
    public void ApplyChanges(long datasetId, byte[] changes, CancellationToken cancellationToken)
    {
        using var stream = new MemoryStream(changes, writable: false);
        Run(datasetId, stream, null, DatasetStatus.UPDATE_COMPLETE, DatasetStatus.UPDATE_FAILED, mayReplace: true, cancellationToken);
    }

    private void Run(long datasetId, Stream manifest, string? baseDirectory, DatasetStatus complete, DatasetStatus failed, bool mayReplace, CancellationToken cancellationToken)
    {
        try
        {
            var validator = new ManifestLineValidator(_options.Limits, _resolver, _options.CheckImages);
            var tally = new ManifestTally(_options.Limits);
            using var transaction = _catalog.BeginTransaction(bulkWrites: true);
            using (var writer = _catalog.Entries.OpenWriter(transaction, datasetId, mayReplace))
            {
                // Each line is written before the next is read, so a line kept as written is not copied out of the read buffer.
                foreach (var line in validator.ValidateEachOnce(manifest, baseDirectory, cancellationToken))
                {
                    // A file-level limit met while reading (size, line count) arrives as a last item.
                    tally.Add(line);
                    if (line.FileError is not null || line.Outcome == LineOutcome.Dropped || line.SourceRef is null)
                    {
                        continue;
                    }

                    var entryId = writer.WriteEntry(line.SourceRef, line.Json, line.IsLabeled, line.HasErrors);
                    foreach (var label in line.Labels)
                    {
                        writer.WriteLabel(entryId, label.Name, label.OnBoundingBox);
                    }
                }

                var fileError = tally.CheckAfterAllLines();
                if (fileError is not null)
                {
                    transaction.Rollback();
                    Fail(datasetId, failed, fileError, DatasetStatusMessageCode.CLIENT_ERROR);
                    return;
                }

                writer.Complete();
                if (_catalog.Datasets.CountLabels(transaction, datasetId) > _options.Limits.MaxLabels)
                {
                    transaction.Rollback();
                    Fail(datasetId, failed, ManifestFileError.Of(ValidationCodes.ManifestTooManyLabels, $"The dataset would have more than {_options.Limits.MaxLabels} labels."),
                        DatasetStatusMessageCode.CLIENT_ERROR);
                    return;
                }
            }

            // The import's span (started by the caller) learns how many images went in; another library's span is left alone.
            if (Activity.Current is { } span && span.Source == RekognitionTelemetry.Source)
            {
                span.SetTag(RekognitionTelemetry.ImageCountTag, tally.ValidLines);
            }

            var message = $"The dataset was {(mayReplace ? "updated" : "created")}: {tally.TotalLines} line(s) read, {tally.ValidLines} valid, " +
                          $"{tally.IgnoredLines} without annotations, {tally.InvalidLines} invalid.";
            _catalog.Datasets.FinishOperation(transaction, datasetId, complete, message, DatasetStatusMessageCode.SUCCESS, _nowMs());
            transaction.Commit();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Fail(datasetId, failed, "The operation was cancelled because the store was closed; none of its changes were kept.", DatasetStatusMessageCode.SERVICE_ERROR);
            throw;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            DatasetLog.InputUnreadable(_logger, ex);
            Fail(datasetId, failed, ManifestFileError.Of(ValidationCodes.ManifestInaccessibleOrUnsupportedFormat, ex.Message), DatasetStatusMessageCode.CLIENT_ERROR);
        }
        catch (Exception ex) when (_catalog.IsProviderFailure(ex) || ex is InvalidOperationException)
        {
            DatasetLog.OperationFailed(_logger, ex);
            Fail(datasetId, failed, $"The operation failed inside the store and none of its changes were kept: {ex.Message}", DatasetStatusMessageCode.SERVICE_ERROR);
        }
    }

    // Service codes lead the message ("ERROR_...: text"); local ones (an empty manifest) have only the text.
    private void Fail(long datasetId, DatasetStatus failed, ManifestFileError error, DatasetStatusMessageCode code) =>
        Fail(datasetId, failed, error.IsServiceCode ? $"{error.Code}: {error.Message}" : error.Message, code);

    private void Fail(long datasetId, DatasetStatus failed, string message, DatasetStatusMessageCode code)
    {
        _catalog.Datasets.FinishOperation(null, datasetId, failed, message, code, _nowMs());
    }
}
