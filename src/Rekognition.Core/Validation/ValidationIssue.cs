namespace Rekognition.Core.Validation;

/// <summary>One error or warning found in a line.</summary>
/// <param name="Code">The service code (see <see cref="ValidationCodes"/>).</param>
/// <param name="Message">The service's message, with details that say what to fix.</param>
/// <param name="Scope">Where it is attached in the line.</param>
/// <param name="AttributeName">The label attribute concerned, for every scope but <see cref="IssueScope.Line"/>.</param>
/// <param name="AnnotationIndex">The index in <c>annotations</c>, for <see cref="IssueScope.Annotation"/>; else -1.</param>
internal sealed record ValidationIssue(string Code, string Message, IssueScope Scope, string? AttributeName = null, int AnnotationIndex = -1)
{
    /// <summary>Whether this is a warning.</summary>
    public bool IsWarning => Code.StartsWith("WARNING_", StringComparison.Ordinal);
}
