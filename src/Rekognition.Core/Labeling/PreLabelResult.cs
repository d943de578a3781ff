namespace Rekognition.Core.Labeling;

/// <summary>What pre-labeling a dataset did.</summary>
/// <param name="PreLabeled">Unlabeled entries that now carry the model's labels, machine-annotated, waiting for review.</param>
/// <param name="WithoutSuggestion">Unlabeled entries the model had no label for at the confidence asked; they stay unlabeled.</param>
public sealed record PreLabelResult(int PreLabeled, int WithoutSuggestion);

/// <summary>A dataset entry whose labels a model suggested and no reviewer has confirmed yet.</summary>
/// <param name="SourceRef">The image.</param>
/// <param name="Line">The entry's Ground Truth line, with the model's labels and confidences.</param>
public sealed record PreLabeledEntry(string SourceRef, string Line);
