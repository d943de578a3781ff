using Rekognition.Core.Catalog;
using Rekognition.Core.Datasets;
using Rekognition.Core.Model;
using Rekognition.Core.Storage;
using Rekognition.Core.Validation;

namespace Rekognition.Core.Services.Training;

/// <summary>The manifests a training reads, fixed when it starts: written from the datasets or copied from the legacy manifests.</summary>
internal sealed class TrainingManifests(RekognitionOptions options, IEntryCatalog entries, SourceRefResolver resolver)
{
    /// <summary>Writes the training and test manifests a run reads into its work folder: from the datasets (split 80/20 when there is no test dataset) or from the legacy manifests.</summary>
    public (string Train, string Test) Write(TrainingSource source, string outputDirectory)
    {
        var train = Path.Combine(outputDirectory, TrainingLocations.TrainingInputFileName);
        var test = Path.Combine(outputDirectory, TrainingLocations.TestingInputFileName);
        if (source.TrainDataset is null)
        {
            Copy(source.TrainManifest!, train);
            if (source.AutoSplit)
            {
                Split(train, test);
            }
            else
            {
                Copy(source.TestManifest!, test);
            }

            return (train, test);
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

        using (var stream = File.Create(train))
        {
            entries.WriteManifest(source.TrainDataset.Id, stream, except: held);
        }

        using (var stream = File.Create(test))
        {
            if (source.TestDataset is not null)
            {
                entries.WriteManifest(source.TestDataset.Id, stream);
            }
            else
            {
                entries.WriteManifest(source.TrainDataset.Id, stream, only: held);
            }
        }

        return (train, test);
    }

    /// <summary>Copies a file of the output folder (read beneath the buckets root) into the training's own folder.</summary>
    public string CopyBack(BucketFolder folder, string fileName, string stagingDirectory)
    {
        var target = Path.Combine(stagingDirectory, fileName);
        Copy(resolver.Buckets.Root + Path.DirectorySeparatorChar + folder.Bucket + Path.DirectorySeparatorChar + folder.Prefix.Replace('/', Path.DirectorySeparatorChar) + fileName, target);
        return target;
    }

    /// <summary>Copies a legacy manifest (read beneath its root) into the training's own folder.</summary>
    private void Copy(string manifestPath, string target)
    {
        using var stream = resolver.OpenRead(manifestPath, out _, 1 << 16)
                           ?? throw new InvalidParameterException($"{ValidationCodes.ManifestInaccessibleOrUnsupportedFormat}: a training manifest can no longer be read from its bucket.");
        using var copy = File.Create(target);
        stream.CopyTo(copy);
    }

    /// <summary>Moves the 20 % of a legacy manifest's lines that <see cref="DatasetSplit"/> chooses into the test manifest.</summary>
    private void Split(string train, string test)
    {
        var lines = File.ReadAllLines(train).Where(l => !string.IsNullOrWhiteSpace(l)).ToArray();
        var validator = new ManifestLineValidator(options.Limits, resolver, null);
        var labels = lines.Select((l, i) => (IReadOnlyCollection<string>)validator
            .ValidateLine(System.Text.Encoding.UTF8.GetBytes(l), i + 1, null).Labels.Select(u => u.Name).ToArray()).ToList();
        var chosen = DatasetSplit.ChooseTestEntries(labels).ToHashSet();
        if (chosen.Count == 0)
        {
            throw new InvalidParameterException(
                "ERROR_INSUFFICIENT_IMAGES_PER_LABEL_FOR_AUTOSPLIT: The training manifest does not have enough labelled images per label to hold 20 % back for testing.");
        }

        File.WriteAllLines(test, lines.Where((_, i) => chosen.Contains(i)));
        File.WriteAllLines(train, lines.Where((_, i) => !chosen.Contains(i)));
    }
}
