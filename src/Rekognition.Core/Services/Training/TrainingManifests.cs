using Rekognition.Core.Catalog;
using Rekognition.Core.Datasets;
using Rekognition.Core.Model;
using Rekognition.Core.Storage;
using Rekognition.Core.Validation;

namespace Rekognition.Core.Services.Training;

/// <summary>
/// The manifests a training reads, fixed when it starts: written from the datasets or copied from the legacy manifests
/// into the store, as the training's staged input manifests (<see cref="StoreLayout.StagedOutput"/>).
/// </summary>
internal sealed class TrainingManifests(RekognitionOptions options, Store store, IEntryCatalog entries, SourceRefResolver resolver)
{
    /// <summary>Stages the training and test manifests a run reads: from the datasets (split 80/20 when there is no test dataset) or from the legacy manifests.</summary>
    public async Task WriteAsync(TrainingSource source, string trainingKey, CancellationToken ct)
    {
        var train = StoreLayout.StagedOutput(trainingKey, StagedFile.TrainingInputManifest);
        var test = StoreLayout.StagedOutput(trainingKey, StagedFile.TestingInputManifest);
        if (source.TrainDataset is null)
        {
            await CopyAsync(source.TrainManifest!, train, ct).ConfigureAwait(false);
            if (source.AutoSplit)
            {
                await SplitAsync(train, test, ct).ConfigureAwait(false);
            }
            else
            {
                await CopyAsync(source.TestManifest!, test, ct).ConfigureAwait(false);
            }

            return;
        }

        HashSet<long>? held = null;
        if (source.AutoSplit)
        {
            var lines = entries.EntriesWithLabels(source.TrainDataset.Id);
            var chosen = DatasetSplit.ChooseTestEntries(lines.Select(e => (IReadOnlyCollection<string>)e.Labels).ToList());
            if (chosen.Length == 0)
            {
                throw new InvalidParameterException(
                    "ERROR_INSUFFICIENT_IMAGES_PER_LABEL_FOR_AUTOSPLIT: The training dataset does not have enough labelled images per label to hold 20 % back for testing. Add images or create a test dataset.");
            }

            held = chosen.Select(i => lines[i].Id).ToHashSet();
        }

        await store.Objects.PutAsync(train, stream =>
        {
            entries.WriteManifest(source.TrainDataset.Id, stream, except: held);
            return Task.CompletedTask;
        }, ct).ConfigureAwait(false);
        await store.Objects.PutAsync(test, stream =>
        {
            if (source.TestDataset is not null)
            {
                entries.WriteManifest(source.TestDataset.Id, stream);
            }
            else
            {
                entries.WriteManifest(source.TrainDataset.Id, stream, only: held);
            }

            return Task.CompletedTask;
        }, ct).ConfigureAwait(false);
    }

    /// <summary>Stages again, from the output folder where the first run published it, an input manifest of a resumed training.</summary>
    public async Task CopyBackAsync(BucketFolder folder, StagedFile file, string publishedName, string trainingKey, CancellationToken ct)
    {
        await using var stream = (await folder.OpenReadAsync(publishedName, ct).ConfigureAwait(false)).Content
                                 ?? throw new InvalidParameterException($"{ValidationCodes.ManifestInaccessibleOrUnsupportedFormat}: a training manifest can no longer be read from its output location.");
        await store.Objects.PutAsync(StoreLayout.StagedOutput(trainingKey, file), stream, ct).ConfigureAwait(false);
    }

    /// <summary>Copies a legacy manifest (read beneath its root) into the store at <paramref name="key"/>.</summary>
    private async Task CopyAsync(string manifestPath, string key, CancellationToken ct)
    {
        await using var stream = resolver.OpenRead(manifestPath, out _, 1 << 16)
                                 ?? throw new InvalidParameterException($"{ValidationCodes.ManifestInaccessibleOrUnsupportedFormat}: a training manifest can no longer be read from its bucket.");
        await store.Objects.PutAsync(key, stream, ct).ConfigureAwait(false);
    }

    /// <summary>Moves the 20 % of a legacy manifest's lines that <see cref="DatasetSplit"/> chooses into the test manifest.</summary>
    private async Task SplitAsync(string train, string test, CancellationToken ct)
    {
        var lines = new List<string>();
        await using (var stream = await store.Objects.OpenExistingAsync(train, ct).ConfigureAwait(false))
        using (var reader = new StreamReader(stream))
        {
            while (await reader.ReadLineAsync(ct).ConfigureAwait(false) is { } line)
            {
                if (!string.IsNullOrWhiteSpace(line))
                {
                    lines.Add(line);
                }
            }
        }

        var validator = new ManifestLineValidator(options.Limits, resolver, checkImages: false);
        var labels = lines.Select((l, i) => (IReadOnlyCollection<string>)validator
            .ValidateLine(System.Text.Encoding.UTF8.GetBytes(l), i + 1, null).Labels.Select(u => u.Name).ToArray()).ToList();
        var chosen = DatasetSplit.ChooseTestEntries(labels).ToHashSet();
        if (chosen.Count == 0)
        {
            throw new InvalidParameterException(
                "ERROR_INSUFFICIENT_IMAGES_PER_LABEL_FOR_AUTOSPLIT: The training manifest does not have enough labelled images per label to hold 20 % back for testing.");
        }

        await store.Objects.PutLinesAsync(test, lines.Where((_, i) => chosen.Contains(i)), ct).ConfigureAwait(false);
        await store.Objects.PutLinesAsync(train, lines.Where((_, i) => !chosen.Contains(i)), ct).ConfigureAwait(false);
    }
}
