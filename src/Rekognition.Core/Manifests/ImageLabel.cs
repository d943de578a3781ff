namespace Rekognition.Core.Manifests;

/// <summary>
/// One image-level label of a manifest line: written as the attribute <see cref="AttributeName"/> and its
/// <c>-metadata</c> object of type <c>groundtruth/image-classification</c>. A line with several labels
/// (multi-label) carries one <see cref="ImageLabel"/> per label, each with its own attribute name.
/// </summary>
/// <param name="AttributeName">The label attribute key, e.g. <c>room-type</c>; unique within a line.</param>
/// <param name="ClassName">The label itself (<c>class-name</c>).</param>
/// <param name="CreationDate">When the label was made (<c>creation-date</c>).</param>
public readonly record struct ImageLabel(string AttributeName, string ClassName, ManifestTimestamp CreationDate)
{
    /// <summary>The attribute's integer value; the service does not use it.</summary>
    public int AttributeValue { get; init; }

    /// <summary>The <c>confidence</c>, between 0 and 1; the service requires it but does not use it.</summary>
    public double Confidence { get; init; } = 1;

    /// <summary>The labelling job's name (<c>job-name</c>); left out when null.</summary>
    public string? JobName { get; init; }

    /// <summary>Whether a person made the label (<c>human-annotated</c> <c>yes</c>/<c>no</c>).</summary>
    public bool HumanAnnotated { get; init; } = true;
}
