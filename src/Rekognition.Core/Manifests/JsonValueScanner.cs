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
    /// <summary>Objects with up to this many keys compare a new key with the others; wider ones look it up by hash.</summary>
    private const int LinearKeys = 16;

    private readonly List<NameEntry> _names = [];
    private readonly List<Frame> _frames = [];

    // Keys of wide objects by (object, hash), each bucket a chain through NameEntry.NextSameHash: a wide object stays linear.
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
            _frames.Add(new Frame(_nextFrame++, -1, 0));
        }

        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject:
                    _frames.Add(new Frame(_nextFrame++, -1, 0));
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

        var frame = _frames[^1];
        var hash = Hash(name);
        if (frame.Count < LinearKeys)
        {
            for (var i = frame.Last; i >= 0; i = _names[i].PreviousInFrame)
            {
                if (_names[i].Hash == hash && SameName(i, name))
                {
                    return Twice(name);
                }
            }
        }
        else
        {
            if (frame.Count == LinearKeys)
            {
                for (var i = frame.Last; i >= 0; i = _names[i].PreviousInFrame)
                {
                    Chain(frame.Id, i);
                }
            }

            for (var i = _chains.GetValueOrDefault((frame.Id, hash), -1); i >= 0; i = _names[i].NextSameHash)
            {
                if (SameName(i, name))
                {
                    return Twice(name);
                }
            }
        }

        if (_nameBytesUsed + name.Length > _nameBytes.Length)
        {
            Array.Resize(ref _nameBytes, Math.Max(_nameBytes.Length * 2, _nameBytesUsed + name.Length));
        }

        name.CopyTo(_nameBytes.AsSpan(_nameBytesUsed));
        _names.Add(new NameEntry(_nameBytesUsed, name.Length, hash, frame.Last, -1));
        _nameBytesUsed += name.Length;
        if (frame.Count >= LinearKeys)
        {
            Chain(frame.Id, _names.Count - 1);
        }

        _frames[^1] = new Frame(frame.Id, _names.Count - 1, frame.Count + 1);
        return null;
    }

    private void Chain(int frameId, int index)
    {
        var key = (frameId, _names[index].Hash);
        _names[index] = _names[index] with { NextSameHash = _chains.GetValueOrDefault(key, -1) };
        _chains[key] = index;
    }

    private bool SameName(int index, ReadOnlySpan<byte> name) => _nameBytes.AsSpan(_names[index].Offset, _names[index].Length).SequenceEqual(name);

    private static string Twice(ReadOnlySpan<byte> name) => $"an object has the key '{Encoding.UTF8.GetString(name)}' twice";

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

    private readonly record struct NameEntry(int Offset, int Length, int Hash, int PreviousInFrame, int NextSameHash);

    private readonly record struct Frame(int Id, int Last, int Count);
}
