using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Rekognition.Core.Manifests;

/// <summary>
/// Walks one JSON value with the line's reader and finds what <see cref="Utf8JsonReader"/> lets through but a
/// DOM refuses later: a string whose escapes leave an unpaired surrogate (<c>"\ud800"</c>), and an object
/// with the same key twice. A line is stored as it is and read back with a DOM (listing, labelling,
/// distribution), so either must make the line invalid JSON here rather than fail there. Reuses its
/// buffers from line to line; not thread-safe.
/// </summary>
internal sealed class JsonValueScanner
{
    private readonly List<NameEntry> _names = [];
    private readonly List<int> _frames = [];

    // Keys are found by (object, hash), each bucket a chain through NameEntry.Next: a wide object stays linear.
    private readonly Dictionary<(int Frame, int Hash), int> _chains = [];
    private int _nextFrame;
    private byte[] _nameBytes = new byte[256];
    private int _nameBytesUsed;
    private byte[] _scratch = new byte[256];

    /// <summary>
    /// Reads past the value <paramref name="reader"/> is on (as <see cref="Utf8JsonReader.Skip"/> does);
    /// returns what is wrong with it, or null.
    /// </summary>
    public string? SkipValue(ref Utf8JsonReader reader)
    {
        if (reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray))
        {
            return reader.TokenType == JsonTokenType.String ? CheckString(ref reader) : null;
        }

        _names.Clear();
        _frames.Clear();
        _chains.Clear();
        _nameBytesUsed = 0;
        _nextFrame = 0;
        var depth = reader.CurrentDepth;
        if (reader.TokenType == JsonTokenType.StartObject)
        {
            _frames.Add(_nextFrame++);
        }

        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject:
                    _frames.Add(_nextFrame++);
                    break;
                case JsonTokenType.EndObject:
                    _frames.RemoveAt(_frames.Count - 1);
                    if (reader.CurrentDepth == depth)
                    {
                        return null;
                    }

                    break;
                case JsonTokenType.EndArray when reader.CurrentDepth == depth:
                    return null;
                case JsonTokenType.String:
                    if (CheckString(ref reader) is { } problem)
                    {
                        return problem;
                    }

                    break;
                case JsonTokenType.PropertyName:
                    if (AddName(ref reader) is { } nameProblem)
                    {
                        return nameProblem;
                    }

                    break;
            }
        }

        return null;
    }

    /// <summary>Null when the string or property name <paramref name="reader"/> is on decodes to valid UTF-16.</summary>
    public string? CheckString(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped)
        {
            // Unescaped bytes were checked as UTF-8 by the reader.
            return null;
        }

        return TryUnescape(ref reader, out _) ? null : "a string has an unpaired UTF-16 surrogate escape (such as \\ud800)";
    }

    private string? AddName(ref Utf8JsonReader reader)
    {
        ReadOnlySpan<byte> name;
        if (reader.ValueIsEscaped)
        {
            if (!TryUnescape(ref reader, out var length))
            {
                return "a key has an unpaired UTF-16 surrogate escape (such as \\ud800)";
            }

            name = _scratch.AsSpan(0, length);
        }
        else
        {
            name = reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan;
        }

        var key = (_frames[^1], Hash(name));
        var head = _chains.GetValueOrDefault(key, -1);
        for (var i = head; i >= 0; i = _names[i].Next)
        {
            if (_nameBytes.AsSpan(_names[i].Offset, _names[i].Length).SequenceEqual(name))
            {
                return $"an object has the key '{Encoding.UTF8.GetString(name)}' twice";
            }
        }

        if (_nameBytesUsed + name.Length > _nameBytes.Length)
        {
            Array.Resize(ref _nameBytes, Math.Max(_nameBytes.Length * 2, _nameBytesUsed + name.Length));
        }

        name.CopyTo(_nameBytes.AsSpan(_nameBytesUsed));
        _chains[key] = _names.Count;
        _names.Add(new NameEntry(_nameBytesUsed, name.Length, head));
        _nameBytesUsed += name.Length;
        return null;
    }

    private bool TryUnescape(ref Utf8JsonReader reader, out int length)
    {
        // Unescaped text is never longer than its escaped form.
        var escapedLength = reader.HasValueSequence ? checked((int)reader.ValueSequence.Length) : reader.ValueSpan.Length;
        if (_scratch.Length < escapedLength)
        {
            _scratch = new byte[Math.Max(escapedLength, _scratch.Length * 2)];
        }

        try
        {
            length = reader.CopyString(_scratch);
            return true;
        }
        catch (InvalidOperationException)
        {
            // The reader's way of saying the escapes leave invalid UTF-16.
            length = 0;
            return false;
        }
    }

    private static int Hash(ReadOnlySpan<byte> bytes)
    {
        var hash = unchecked((int)2166136261);
        foreach (var b in bytes)
        {
            hash = unchecked((hash ^ b) * 16777619);
        }

        return hash;
    }

    private readonly record struct NameEntry(int Offset, int Length, int Next);
}
