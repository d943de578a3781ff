namespace Rekognition.Core.Manifests;

/// <summary>
/// One label attribute of a Ground Truth line: the top-level key <see cref="Name"/> with its
/// <c>Name-metadata</c> companion, of either kind. Fields that were absent or of the wrong JSON type are
/// null, and <see cref="AttributeProblem"/> / <see cref="MetadataProblem"/> say what was wrong, so the
/// validator can report the service's code with a message that names the field to fix.
/// Instances are reused from line to line by <see cref="GroundTruthLineParser"/>.
/// </summary>
internal sealed class GroundTruthLabelAttribute
{
    private readonly List<BoundingBoxAnnotation> _annotations = new();
    private readonly List<double?> _objectConfidences = new();
    private readonly List<ClassMapEntry> _classMap = new();

    /// <summary>The attribute key (the label attribute name chosen by the author).</summary>
    public string Name { get; internal set; } = "";

    /// <summary>The kind decided by the metadata's <c>type</c>.</summary>
    public LabelAttributeKind Kind { get; internal set; }

    /// <summary>The metadata's <c>type</c> value.</summary>
    public string? Type { get; internal set; }

    /// <summary>Whether the attribute value is a JSON object (object detection) — errors can then be attached inside it.</summary>
    public bool AttributeIsObject { get; internal set; }

    /// <summary>Whether the metadata value is a JSON object — errors can then be attached inside it.</summary>
    public bool MetadataIsObject { get; internal set; }

    /// <summary>What is wrong with the attribute value, or null.</summary>
    public string? AttributeProblem { get; internal set; }

    /// <summary>What is wrong with the metadata object, or null.</summary>
    public string? MetadataProblem { get; internal set; }

    /// <summary>Classification: the attribute's integer value (an identifier the service does not use).</summary>
    public long? LabelValue { get; internal set; }

    /// <summary>Classification: the label (<c>class-name</c>).</summary>
    public string? ClassName { get; internal set; }

    /// <summary>Classification: <c>confidence</c>.</summary>
    public double? Confidence { get; internal set; }

    /// <summary><c>job-name</c> (optional).</summary>
    public string? JobName { get; internal set; }

    /// <summary><c>human-annotated</c>: "yes" or "no".</summary>
    public string? HumanAnnotated { get; internal set; }

    /// <summary>Whether <c>creation-date</c> is a string with more than white space (its value is not kept: nothing reads it).</summary>
    public bool HasCreationDate { get; internal set; }

    /// <summary>Object detection: <c>image_size</c> (accepted as a one-element array or as an object).</summary>
    public ImageSize? ImageSize { get; internal set; }

    /// <summary>Object detection: whether <c>annotations</c> was present.</summary>
    public bool HasAnnotations { get; internal set; }

    /// <summary>Object detection: the boxes, in input order.</summary>
    public IReadOnlyList<BoundingBoxAnnotation> Annotations => _annotations;

    /// <summary>Object detection: whether <c>objects</c> was present.</summary>
    public bool HasObjects { get; internal set; }

    /// <summary>Object detection: each <c>objects[i].confidence</c>, null where it was missing.</summary>
    public IReadOnlyList<double?> ObjectConfidences => _objectConfidences;

    /// <summary>Object detection: whether <c>class-map</c> was present.</summary>
    public bool HasClassMap { get; internal set; }

    /// <summary>Object detection: <c>class-map</c> entries.</summary>
    public IReadOnlyList<ClassMapEntry> ClassMap => _classMap;

    /// <summary>True when <c>human-annotated</c> is "yes".</summary>
    public bool IsHumanAnnotated => string.Equals(HumanAnnotated, "yes", StringComparison.Ordinal);

    /// <summary>The label of <paramref name="classId"/> in <see cref="ClassMap"/>, or null.</summary>
    public string? LabelOf(int classId)
    {
        foreach (var entry in _classMap)
        {
            if (entry.ClassId == classId)
            {
                return entry.LabelName;
            }
        }

        return null;
    }

    internal List<BoundingBoxAnnotation> MutableAnnotations => _annotations;

    internal List<double?> MutableObjectConfidences => _objectConfidences;

    internal List<ClassMapEntry> MutableClassMap => _classMap;

    internal void Reset(string name)
    {
        Name = name;
        Kind = LabelAttributeKind.Unknown;
        Type = null;
        AttributeIsObject = false;
        MetadataIsObject = false;
        AttributeProblem = null;
        MetadataProblem = null;
        LabelValue = null;
        ClassName = null;
        Confidence = null;
        JobName = null;
        HumanAnnotated = null;
        HasCreationDate = false;
        ImageSize = null;
        HasAnnotations = false;
        HasObjects = false;
        HasClassMap = false;
        _annotations.Clear();
        _objectConfidences.Clear();
        _classMap.Clear();
    }
}
