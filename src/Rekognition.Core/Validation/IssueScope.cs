namespace Rekognition.Core.Validation;

/// <summary>Where in a JSON line an error or warning is attached (datasets.md §7.8).</summary>
internal enum IssueScope
{
    /// <summary>Top-level <c>errors</c> / <c>warnings</c> of the line.</summary>
    Line,

    /// <summary><c>&lt;attr&gt;.errors</c> / <c>.warnings</c> (object-detection attributes only).</summary>
    Attribute,

    /// <summary><c>&lt;attr&gt;-metadata.errors</c>.</summary>
    Metadata,

    /// <summary><c>&lt;attr&gt;.annotations[i].errors</c>.</summary>
    Annotation,
}
