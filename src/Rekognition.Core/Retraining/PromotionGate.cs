using Rekognition.Core.Catalog;
using Rekognition.Core.EvaluationViews;
using Rekognition.Core.Model;

namespace Rekognition.Core.Retraining;

/// <summary>
/// Decides whether a new version may take an alias over: only when both versions were evaluated on the same test set
/// (the same images with the same ground truth) and the new one scores at least as well, on F1 for classifiers and on
/// mAP for detectors. Reads the evaluation files only; moves nothing.
/// </summary>
internal sealed class PromotionGate(IEvaluationViewClient evaluations, IModelAliasCatalog aliases)
{
    public async Task<PromotionRecord> DecideAsync(long projectId, string aliasName, string candidateArn, long nowMs, CancellationToken ct)
    {
        var candidate = await evaluations.GetEvaluationAsync(candidateArn, ct).ConfigureAwait(false);
        var metric = candidate.MeanAveragePrecision is null ? "F1" : "mAP";
        var score = Score(candidate);
        var previousArn = aliases.Resolve(projectId, aliasName);
        PromotionRecord Decision(bool promote, double? previousScore, string reason) =>
            new(projectId, aliasName, candidateArn, previousArn, metric, score, previousScore, promote, reason, nowMs);

        if (previousArn is null)
        {
            return Decision(true, null, $"The alias '{aliasName}' pointed at no version yet.");
        }

        VersionEvaluation previous;
        try
        {
            previous = await evaluations.GetEvaluationAsync(previousArn, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ResourceNotReadyException or ResourceNotFoundException)
        {
            return Decision(false, null, "The version the alias points at has no evaluation to compare with; promote by hand if the new version should serve.");
        }

        if ((previous.MeanAveragePrecision is null) != (candidate.MeanAveragePrecision is null))
        {
            return Decision(false, null, "The two versions are not the same kind of model (classifier and detector); they cannot be compared.");
        }

        if (!SameTestSet(candidate, previous))
        {
            return Decision(false, null,
                $"The versions were evaluated on different test sets ({candidate.Images.Count} and {previous.Images.Count} images, or other ground truth): scores on different sets are not compared.");
        }

        var previousScore = Score(previous);
        return score >= previousScore
            ? Decision(true, previousScore, $"{metric} {score:0.000} is at least the current version's {previousScore:0.000} on the same test set.")
            : Decision(false, previousScore, $"{metric} {score:0.000} is below the current version's {previousScore:0.000} on the same test set; the alias stays.");
    }

    private static double Score(VersionEvaluation evaluation) => evaluation.MeanAveragePrecision ?? evaluation.F1Score;

    // The same images with the same ground truth (labels and boxes), in any order.
    private static bool SameTestSet(VersionEvaluation a, VersionEvaluation b) =>
        a.Images.Count == b.Images.Count && Fingerprint(a).SequenceEqual(Fingerprint(b), StringComparer.Ordinal);

    private static IEnumerable<string> Fingerprint(VersionEvaluation evaluation) =>
        evaluation.Images.Select(i => string.Join('|',
                [i.SourceRef, .. i.GroundTruth.Order(StringComparer.Ordinal), .. i.GroundTruthBoxes.Select(b => $"{b.Label}:{string.Join(',', b.Box)}").Order(StringComparer.Ordinal)]))
            .Order(StringComparer.Ordinal);
}
