using Rekognition.Core.Model;

namespace Rekognition.Core.Labeling;

/// <summary>
/// Assisted labelling (not service operations): a running version pre-labels a dataset's unlabeled entries,
/// machine-annotated; a reviewer confirms them (human-annotated) or rejects them (unlabeled again).
/// Registered by AddRekognitionCustomLabels.
/// </summary>
public interface ILabelingClient
{
    /// <summary>
    /// Runs a RUNNING version on every unlabeled entry of a dataset and writes the labels it finds into the
    /// entries, machine-annotated (human-annotated "no", the model's confidence kept), with UpdateDatasetEntries.
    /// Returns when the dataset is updated. Without <paramref name="minConfidence"/> the version's assumed
    /// thresholds decide, as in DetectCustomLabels.
    /// </summary>
    /// <exception cref="ResourceNotReadyException">The version is not RUNNING.</exception>
    Task<PreLabelResult> PreLabelDatasetAsync(string datasetArn, string projectVersionArn, float? minConfidence = null, CancellationToken cancellationToken = default);

    /// <summary>The entries of a dataset whose labels a model suggested and no reviewer confirmed yet.</summary>
    Task<IReadOnlyList<PreLabeledEntry>> ListPreLabeledEntriesAsync(string datasetArn, CancellationToken cancellationToken = default);

    /// <summary>A reviewer confirms the suggested labels of these entries: they become human-annotated. Returns when the dataset is updated.</summary>
    /// <exception cref="InvalidParameterException">An entry is not a pre-labeled entry of the dataset; nothing is changed then.</exception>
    Task ConfirmPreLabelsAsync(string datasetArn, IEnumerable<string> sourceRefs, CancellationToken cancellationToken = default);

    /// <summary>A reviewer rejects the suggested labels of these entries: they go back to unlabeled. Returns when the dataset is updated.</summary>
    /// <exception cref="InvalidParameterException">An entry is not a pre-labeled entry of the dataset; nothing is changed then.</exception>
    Task RejectPreLabelsAsync(string datasetArn, IEnumerable<string> sourceRefs, CancellationToken cancellationToken = default);
}
