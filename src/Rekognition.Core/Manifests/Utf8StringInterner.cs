using System.Text;

namespace Rekognition.Core.Manifests;

/// <summary>
/// Turns repeated UTF-8 names (attribute keys, label names, type values) into one shared string each,
/// so a manifest of many lines does not allocate the same label name once per line.
/// </summary>
internal sealed class Utf8StringInterner
{
    private const int StackChars = 256;

    private readonly Dictionary<string, string> _strings = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly int _maxEntries;

    /// <param name="maxEntries">Beyond this many distinct strings new ones are allocated without being kept (bounds memory on hostile input).</param>
    public Utf8StringInterner(int maxEntries = 16_384)
    {
        _maxEntries = maxEntries;
        _lookup = _strings.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>The shared string for <paramref name="utf8"/> (which must be valid UTF-8).</summary>
    public string Intern(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > StackChars)
        {
            return Encoding.UTF8.GetString(utf8);
        }

        Span<char> chars = stackalloc char[StackChars];
        var count = Encoding.UTF8.GetChars(utf8, chars);
        var span = chars[..count];
        if (_lookup.TryGetValue(span, out var existing))
        {
            return existing;
        }

        var created = new string(span);
        if (_strings.Count < _maxEntries)
        {
            _strings.Add(created, created);
        }

        return created;
    }
}
