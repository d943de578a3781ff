namespace Rekognition.Core.Validation;

/// <summary>When a validation code is raised and what it does (datasets.md §7.1).</summary>
internal enum ValidationCodeCategory
{
    /// <summary>Dataset create/update fails (<c>CREATE_FAILED</c> / <c>UPDATE_FAILED</c>).</summary>
    DatasetTerminalFile,

    /// <summary>Training stops; reported in the manifest summary.</summary>
    TrainingTerminalContent,

    /// <summary>The line or one of its annotations is not used; work continues.</summary>
    NonTerminalLine,

    /// <summary>The line is valid but ignored (not counted invalid).</summary>
    Warning,

    /// <summary>A code of this library for a condition the service reports without a code.</summary>
    Local,
}
