using System.Text;
using System.Text.Json.Nodes;
using Rekognition.Core.Catalog;
using Rekognition.Core.Images;
using Rekognition.Core.Manifests;
using Rekognition.Core.Model;
using Rekognition.Core.Models;
using Rekognition.Core.Services;
using Rekognition.Core.Storage;

namespace Rekognition.Core.Labeling;

/// <summary>Pre-labelling and review; entries are read, detected and changed through the AWS-shaped client.</summary>
internal sealed class LabelingClient(
    IAmazonRekognition client, RekognitionOptions options, Store store, IDatasetCatalog datasets, SourceRefResolver resolver, ResourceLookup lookup, StoreClock clock) : ILabelingClient
{
    private static readonly TimeSpan DatasetPollInterval = TimeSpan.FromMilliseconds(25);

    /// <inheritdoc />
    public async Task<PreLabelResult> PreLabelDatasetAsync(string datasetArn, string projectVersionArn, float? minConfidence = null, CancellationToken cancellationToken = default)
    {
        var dataset = lookup.Dataset(datasetArn, "DatasetArn");
        var version = lookup.Version(projectVersionArn);
        if (version.Status != ProjectVersionStatus.RUNNING.Value || version.ArtifactKey is null)
        {
            throw new ResourceNotReadyException($"The model is {version.Status}, not RUNNING. Start it with StartProjectVersion and wait for RUNNING, then pre-label.");
        }

        var kind = (await store.LoadModelPackageAsync(version.ArtifactKey, cancellationToken).ConfigureAwait(false)).Metadata.Kind;
        var unlabeled = new List<string>();
        await foreach (var line in EntriesAsync(dataset.Arn, labeled: false, cancellationToken).ConfigureAwait(false))
        {
            unlabeled.Add(line["source-ref"]!.GetValue<string>());
        }

        var lines = new MemoryStream();
        int preLabeled = 0, without = 0;
        using (var writer = new GroundTruthManifestWriter(lines, leaveOpen: true))
        {
            foreach (var sourceRef in unlabeled)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var (image, width, height) = ImageOf(sourceRef);
                var detected = await client.DetectCustomLabelsAsync(new DetectCustomLabelsRequest { ProjectVersionArn = version.Arn, Image = image, MinConfidence = minConfidence }, cancellationToken)
                    .ConfigureAwait(false);
                if (PreLabelLines.Write(writer, sourceRef, kind, detected.CustomLabels, width, height, clock.UtcNow))
                {
                    preLabeled++;
                }
                else
                {
                    without++;
                }
            }
        }

        await ApplyLinesAsync(dataset.Arn, lines.ToArray(), cancellationToken).ConfigureAwait(false);
        return new PreLabelResult(preLabeled, without);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<PreLabeledEntry>> ListPreLabeledEntriesAsync(string datasetArn, CancellationToken cancellationToken = default)
    {
        var dataset = lookup.Dataset(datasetArn, "DatasetArn");
        var result = new List<PreLabeledEntry>();
        await foreach (var line in EntriesAsync(dataset.Arn, labeled: true, cancellationToken).ConfigureAwait(false))
        {
            if (PreLabelLines.IsMachineAnnotated(line))
            {
                result.Add(new PreLabeledEntry(line["source-ref"]!.GetValue<string>(), line.ToJsonString()));
            }
        }

        return result;
    }

    /// <inheritdoc />
    public Task ConfirmPreLabelsAsync(string datasetArn, IEnumerable<string> sourceRefs, CancellationToken cancellationToken = default) =>
        ReviewPreLabelsAsync(datasetArn, sourceRefs, line => PreLabelLines.Confirmed(line), cancellationToken);

    /// <inheritdoc />
    public Task RejectPreLabelsAsync(string datasetArn, IEnumerable<string> sourceRefs, CancellationToken cancellationToken = default) =>
        ReviewPreLabelsAsync(datasetArn, sourceRefs, line => new JsonObject { ["source-ref"] = line["source-ref"]!.GetValue<string>() }.ToJsonString(), cancellationToken);

    private async Task ReviewPreLabelsAsync(string datasetArn, IEnumerable<string> sourceRefs, Func<JsonObject, string> rewrite, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sourceRefs);
        var wanted = sourceRefs.ToHashSet(StringComparer.Ordinal);
        var pending = (await ListPreLabeledEntriesAsync(datasetArn, cancellationToken).ConfigureAwait(false)).ToDictionary(e => e.SourceRef, StringComparer.Ordinal);
        var unknown = wanted.Where(w => !pending.ContainsKey(w)).ToList();
        if (unknown.Count > 0)
        {
            throw new InvalidParameterException(
                $"{unknown.Count} source-ref(s) are not pre-labeled entries of the dataset waiting for review, e.g. {unknown[0]}. ListPreLabeledEntriesAsync lists them.");
        }

        if (wanted.Count == 0)
        {
            return;
        }

        var text = new StringBuilder();
        foreach (var sourceRef in wanted)
        {
            text.Append(rewrite((JsonObject)JsonNode.Parse(pending[sourceRef].Line)!)).Append('\n');
        }

        await ApplyLinesAsync(datasetArn, Encoding.UTF8.GetBytes(text.ToString()), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends lines with UpdateDatasetEntries in pieces under the size limit, each awaited, and fails with the dataset's message if an update fails.</summary>
    private async Task ApplyLinesAsync(string datasetArn, byte[] lines, CancellationToken cancellationToken)
    {
        var limit = Math.Max(1024, options.Limits.MaxChangesBytes - 1);
        var start = 0;
        while (start < lines.Length)
        {
            var end = Math.Min(lines.Length, start + limit);
            if (end < lines.Length)
            {
                end = Array.LastIndexOf(lines, (byte)'\n', end - 1, end - start) + 1;
                if (end <= start)
                {
                    throw new InvalidParameterException("A Ground Truth line is larger than UpdateDatasetEntries accepts.");
                }
            }

            await client.UpdateDatasetEntriesAsync(new UpdateDatasetEntriesRequest
            {
                DatasetArn = datasetArn,
                Changes = new DatasetChanges { GroundTruth = new MemoryStream(lines, start, end - start) },
            }, cancellationToken).ConfigureAwait(false);
            var dataset = await WaitForDatasetOperationAsync(datasetArn, cancellationToken).ConfigureAwait(false);
            if (dataset.Status != DatasetStatus.UPDATE_COMPLETE.Value)
            {
                throw new InvalidParameterException($"The dataset update failed ({dataset.Status}): {dataset.StatusMessage}");
            }

            start = end;
        }
    }

    private async Task<DatasetRecord> WaitForDatasetOperationAsync(string datasetArn, CancellationToken cancellationToken)
    {
        while (true)
        {
            var dataset = datasets.FindByArn(datasetArn) ?? throw ResourceLookup.DatasetNotFound(datasetArn);
            if (!ResourceLookup.IsInProgress(dataset.Status))
            {
                return dataset;
            }

            await Task.Delay(DatasetPollInterval, clock.Time, cancellationToken).ConfigureAwait(false);
        }
    }

    private async IAsyncEnumerable<JsonObject> EntriesAsync(string datasetArn, bool labeled, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? token = null;
        do
        {
            var page = await client.ListDatasetEntriesAsync(new ListDatasetEntriesRequest { DatasetArn = datasetArn, Labeled = labeled, NextToken = token }, cancellationToken).ConfigureAwait(false);
            foreach (var entry in page.DatasetEntries)
            {
                yield return (JsonObject)JsonNode.Parse(entry)!;
            }

            token = page.NextToken;
        }
        while (token is not null);
    }

    /// <summary>The image of an entry, as DetectCustomLabels takes it, with its size in pixels.</summary>
    private (Image Image, int Width, int Height) ImageOf(string sourceRef)
    {
        var resolved = resolver.Resolve(sourceRef);
        var content = SourceContent.Read(resolver, sourceRef);
        var bytes = content.Bytes
                    ?? throw new InvalidS3ObjectException($"The image {sourceRef} of a dataset entry cannot be read ({resolved.Reason ?? "no readable file there"}).");
        var info = content.Image;
        var image = sourceRef.StartsWith("s3://", StringComparison.Ordinal)
            ? new Image { S3Object = new S3Object { Bucket = resolved.Bucket, Name = sourceRef[("s3://" + resolved.Bucket + "/").Length..] } }
            : new Image { Bytes = new MemoryStream(bytes) };
        return (image, info.Width, info.Height);
    }
}
