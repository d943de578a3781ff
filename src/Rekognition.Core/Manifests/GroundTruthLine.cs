namespace Rekognition.Core.Manifests;

/// <summary>
/// One parsed Ground Truth JSON line: its <c>source-ref</c> and its label attributes (every top-level
/// key that has a <c>key-metadata</c> companion). Reused from line to line by <see cref="GroundTruthLineParser"/>;
/// copy what must outlive the next parse.
/// </summary>
internal sealed class GroundTruthLine
{
    private readonly List<GroundTruthLabelAttribute> _pool = new();
    private int _count;

    /// <summary>Whether and how <c>source-ref</c> is present.</summary>
    public SourceRefPresence SourceRefPresence { get; internal set; }

    /// <summary>The <c>source-ref</c> string.</summary>
    public string? SourceRef { get; internal set; }

    /// <summary>Top-level keys other than <c>source-ref</c> and the service-added keys.</summary>
    public int OtherKeyCount { get; internal set; }

    /// <summary>Whether the line carried keys the service adds (<c>errors</c>, <c>warnings</c>, <c>cl-errors</c>, <c>cl-metadata</c>), which are ignored and stripped.</summary>
    public bool HasServiceKeys { get; internal set; }

    /// <summary>The label attributes, in the order their keys appear.</summary>
    public IReadOnlyList<GroundTruthLabelAttribute> Attributes => _pool.GetRange(0, _count);

    /// <summary>The number of label attributes.</summary>
    public int AttributeCount => _count;

    /// <summary>The label attribute at <paramref name="index"/>.</summary>
    public GroundTruthLabelAttribute AttributeAt(int index)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, _count);
        return _pool[index];
    }

    internal void Reset()
    {
        SourceRefPresence = SourceRefPresence.Missing;
        SourceRef = null;
        OtherKeyCount = 0;
        HasServiceKeys = false;
        _count = 0;
    }

    internal GroundTruthLabelAttribute AddAttribute(string name)
    {
        if (_count == _pool.Count)
        {
            _pool.Add(new GroundTruthLabelAttribute());
        }

        var attribute = _pool[_count++];
        attribute.Reset(name);
        return attribute;
    }
}
