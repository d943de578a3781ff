using Rekognition.Core.Model;

namespace Rekognition.Core.Evaluation;

/// <summary>Maps an evaluation to what <c>DescribeProjectVersions</c> returns for a trained version.</summary>
internal static class EvaluationResultMapping
{
    /// <summary>
    /// The version's <see cref="EvaluationResult"/>: the aggregate F1 score and where the summary file was stored.
    /// </summary>
    public static EvaluationResult ToEvaluationResult(this ModelEvaluation evaluation, S3Object summaryLocation)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        return new EvaluationResult
        {
            F1Score = (float)evaluation.Aggregate.F1Score,
            Summary = new Summary { S3Object = summaryLocation },
        };
    }
}
