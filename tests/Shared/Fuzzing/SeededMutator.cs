using System.Buffers.Binary;
using System.Text;
using System.Text.Json;

namespace Rekognition.Testing.Fuzzing;

/// <summary>
/// Makes fuzz inputs from real seeds: byte-level mutations (bit and byte flips, inserts, deletes,
/// truncation, splicing two seeds, repeated chunks, boundary integers, dictionary tokens, invalid UTF-8)
/// and, for JSON, mutations of the token structure found by <see cref="Utf8JsonReader"/> (a value
/// replaced by another type, a huge number, a long string, deep nesting, a duplicated or renamed key,
/// lone surrogates), so that most inputs stay close enough to valid to reach the deep parts of a parser.
/// Deterministic for a given <see cref="Random"/>. Linked into the Core and Server test projects.
/// </summary>
internal sealed class SeededMutator
{
    /// <summary>Inputs never grow past this, so one input stays fast whatever the mutations stack up to.</summary>
    public const int MaxInputBytes = 1 << 20;

    private static readonly byte[] InterestingBytes = [0x00, 0x01, 0x7F, 0x80, 0xFF, 0x20, (byte)'"', (byte)'{', (byte)'}', (byte)'[', (byte)']', (byte)':', (byte)',', (byte)'\\', (byte)'\n', (byte)'\r', (byte)'-', (byte)'.', (byte)'e'];

    private static readonly long[] BoundaryIntegers = [0, 1, -1, 2, 0x7F, 0x80, 0xFF, 0x100, 0x7FFF, 0x8000, 0xFFFF, 0x10000, int.MaxValue, int.MinValue, uint.MaxValue, long.MaxValue, long.MinValue];

    private static readonly byte[][] InvalidUtf8 =
    [
        [0x80], [0xBF], [0xC0, 0x80], [0xC1, 0xBF], [0xE2, 0x82], [0xED, 0xA0, 0x80], [0xED, 0xBF, 0xBF],
        [0xF4, 0x90, 0x80, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80], [0xFE], [0xFF], [0xF0, 0x9F, 0x98],
    ];

    private static readonly string[] JsonNumbers =
    [
        "0", "-0", "1", "-1", "0.5", "1e400", "-1e400", "1e-400", "1E+308", "4.9e-324", "9223372036854775807", "9223372036854775808",
        "-9223372036854775809", "2147483647", "2147483648", "-2147483649", "4294967296", "123456789012345678901234567890123456789",
        "0.000000000000000000000000000000000001", "1.0", "3.0000000000000001", "1e15", "1e16", "-1e15", "79228162514264337593543950336",
        "253402300800", "-62135596801", "1700000000.1234", "1e2147483647",
    ];

    private static readonly string[] JsonScalars =
    [
        "null", "true", "false", "\"\"", "\" \"", "{}", "[]", "[{}]", "[null]", "{\"\":null}", "\"\\u0000\"", "\"\\ud800\"", "\"\\udc00x\"",
        "\"\\ud83d\\ude00\"", "\"a\\\"b\"", "\"\\\\\"", "\"..\"", "\"../../etc/passwd\"", "\"s3://\"", "\"s3://bucket/\"", "\"file:///etc/passwd\"",
        "\"%00\"", "\"NaN\"", "\"Infinity\"", "\"-Infinity\"", "\"1e400\"",
    ];

    private readonly IReadOnlyList<byte[]> _seeds;
    private readonly byte[][] _tokens;
    private readonly bool _jsonAware;

    /// <param name="seeds">Real inputs to start from (at least one).</param>
    /// <param name="dictionary">Words the parser gives meaning to (keys, type names, markers), inserted as they are or as JSON strings.</param>
    /// <param name="jsonAware">Whether the inputs are JSON, so that token-level mutations apply.</param>
    public SeededMutator(IReadOnlyList<byte[]> seeds, IEnumerable<byte[]> dictionary, bool jsonAware)
    {
        if (seeds.Count == 0)
        {
            throw new ArgumentException("At least one seed is needed.", nameof(seeds));
        }

        _seeds = seeds;
        _tokens = dictionary.ToArray();
        _jsonAware = jsonAware;
    }

    /// <summary>The seeds, as given.</summary>
    public IReadOnlyList<byte[]> Seeds => _seeds;

    /// <summary>A seed with one to several stacked mutations (or, rarely, a JSON value generated from scratch).</summary>
    public byte[] Next(Random rng)
    {
        if (_jsonAware && rng.Next(16) == 0)
        {
            return Encoding.UTF8.GetBytes(GenerateJson(rng, depth: 0));
        }

        var input = _seeds[rng.Next(_seeds.Count)];
        var rounds = 1;
        while (rounds < 8 && rng.Next(2) == 0)
        {
            rounds++;
        }

        for (var i = 0; i < rounds; i++)
        {
            input = Mutate(rng, input);
            if (input.Length > MaxInputBytes)
            {
                input = input.AsSpan(0, MaxInputBytes).ToArray();
            }
        }

        return input;
    }

    /// <summary>One mutation of <paramref name="input"/> (a new array; the input is not changed).</summary>
    public byte[] Mutate(Random rng, byte[] input)
    {
        if (_jsonAware && rng.Next(3) != 0 && JsonMutation(rng, input) is { } mutated)
        {
            return mutated;
        }

        return ByteMutation(rng, input);
    }

    /// <summary>A random JSON value whose object keys come from the dictionary, at most a few levels deep.</summary>
    public string GenerateJson(Random rng, int depth)
    {
        var kind = depth >= 4 ? rng.Next(3) : rng.Next(5);
        switch (kind)
        {
            case 0:
                return JsonScalars[rng.Next(JsonScalars.Length)];
            case 1:
                return JsonNumbers[rng.Next(JsonNumbers.Length)];
            case 2:
                return QuotedToken(rng);
            case 3:
            {
                var count = rng.Next(4);
                return "[" + string.Join(",", Enumerable.Range(0, count).Select(_ => GenerateJson(rng, depth + 1))) + "]";
            }

            default:
            {
                var count = rng.Next(6);
                return "{" + string.Join(",", Enumerable.Range(0, count).Select(_ => QuotedToken(rng) + ":" + GenerateJson(rng, depth + 1))) + "}";
            }
        }
    }

    private string QuotedToken(Random rng) =>
        _tokens.Length == 0 ? "\"k\"" : JsonSerializer.Serialize(Encoding.UTF8.GetString(_tokens[rng.Next(_tokens.Length)]));

    private int Position(Random rng, int length)
    {
        // Headers and trailers decide most parses: favour the first 2 KiB and the last 1 KiB of long inputs.
        if (length <= 0)
        {
            return 0;
        }

        return rng.Next(4) switch
        {
            0 or 1 => rng.Next(Math.Min(length, 2048)),
            2 => length - 1 - rng.Next(Math.Min(length, 1024)),
            _ => rng.Next(length),
        };
    }

    private byte[] ByteMutation(Random rng, byte[] input)
    {
        var data = new List<byte>(input);
        var at = Position(rng, data.Count);
        switch (rng.Next(14))
        {
            case 0 when data.Count > 0:
                data[at] ^= (byte)(1 << rng.Next(8));
                break;
            case 1 when data.Count > 0:
                data[at] = (byte)rng.Next(256);
                break;
            case 2 when data.Count > 0:
                data[at] = InterestingBytes[rng.Next(InterestingBytes.Length)];
                break;
            case 3:
                Overwrite(data, at, BoundaryBytes(rng));
                break;
            case 4:
            {
                var extra = new byte[1 + rng.Next(16)];
                rng.NextBytes(extra);
                data.InsertRange(Math.Min(at, data.Count), extra);
                break;
            }

            case 5 when data.Count > 0:
            {
                var count = Math.Min(data.Count - at, rng.Next(2) == 0 ? 1 + rng.Next(8) : 1 + rng.Next(data.Count));
                data.RemoveRange(at, count);
                break;
            }

            case 6:
                return input.AsSpan(0, rng.Next(input.Length + 1)).ToArray();
            case 7:
            {
                var other = _seeds[rng.Next(_seeds.Count)];
                var cut = rng.Next(input.Length + 1);
                var from = rng.Next(other.Length + 1);
                return [.. input.AsSpan(0, cut), .. other.AsSpan(from)];
            }

            case 8 when data.Count > 0:
            {
                var chunk = data.GetRange(at, Math.Min(data.Count - at, 1 + rng.Next(64))).ToArray();
                var times = rng.Next(2) == 0 ? 2 + rng.Next(8) : 100 + rng.Next(5000);
                var repeated = new List<byte>(chunk.Length * times);
                for (var i = 0; i < times && repeated.Count < MaxInputBytes; i++)
                {
                    repeated.AddRange(chunk);
                }

                data.InsertRange(at, repeated);
                break;
            }

            case 9 when _tokens.Length > 0:
                data.InsertRange(Math.Min(at, data.Count), _tokens[rng.Next(_tokens.Length)]);
                break;
            case 10 when _tokens.Length > 0:
                Overwrite(data, at, _tokens[rng.Next(_tokens.Length)]);
                break;
            case 11:
                data.InsertRange(Math.Min(at, data.Count), InvalidUtf8[rng.Next(InvalidUtf8.Length)]);
                break;
            case 12 when data.Count > 0:
                data[at] = (byte)(data[at] + rng.Next(-35, 36));
                break;
            case 13 when data.Count > 1:
            {
                var from = rng.Next(data.Count);
                var chunk = data.GetRange(from, Math.Min(data.Count - from, 1 + rng.Next(32))).ToArray();
                Overwrite(data, at, chunk);
                break;
            }

            default:
                data.Add(InterestingBytes[rng.Next(InterestingBytes.Length)]);
                break;
        }

        return data.ToArray();
    }

    private static byte[] BoundaryBytes(Random rng)
    {
        var value = BoundaryIntegers[rng.Next(BoundaryIntegers.Length)];
        var width = 1 << rng.Next(4);
        var bytes = new byte[8];
        if (rng.Next(2) == 0)
        {
            BinaryPrimitives.WriteInt64BigEndian(bytes, value);
            return bytes[(8 - width)..];
        }

        BinaryPrimitives.WriteInt64LittleEndian(bytes, value);
        return bytes[..width];
    }

    private static void Overwrite(List<byte> data, int at, byte[] bytes)
    {
        for (var i = 0; i < bytes.Length; i++)
        {
            if (at + i < data.Count)
            {
                data[at + i] = bytes[i];
            }
            else
            {
                data.Add(bytes[i]);
            }
        }
    }

    /// <summary>A token-level mutation; null when the input has no JSON value to work on.</summary>
    private byte[]? JsonMutation(Random rng, byte[] input)
    {
        var map = JsonMap.Of(input);
        if (map.Values.Count == 0)
        {
            return null;
        }

        var value = map.Values[rng.Next(map.Values.Count)];
        switch (rng.Next(13))
        {
            case 11 when map.ObjectStarts.Count > 0 && rng.Next(4) == 0:
            {
                // A wide object: many distinct keys, for parsers that compare each key with all the others.
                var at = map.ObjectStarts[rng.Next(map.ObjectStarts.Count)] + 1;
                int[] widths = [100, 1000, 5000, 11_000];
                var width = widths[rng.Next(widths.Length)];
                var suffix = rng.Next(2) == 0 ? "" : "-metadata";
                var members = string.Concat(Enumerable.Range(0, width).Select(i => $"\"{i:x}{suffix}\":0,"));
                var closes = at < input.Length && input[at] == (byte)'}';
                return [.. input.AsSpan(0, at), .. Encoding.UTF8.GetBytes(closes ? members.TrimEnd(',') : members), .. input.AsSpan(at)];
            }

            case 0:
            case 1:
                return Replace(input, value, Encoding.UTF8.GetBytes(GenerateJson(rng, depth: 2)));
            case 2:
                return Replace(input, value, Encoding.UTF8.GetBytes(JsonNumbers[rng.Next(JsonNumbers.Length)]));
            case 3:
            {
                // A long string, or one with invalid UTF-8 or an unpaired surrogate inside.
                var text = rng.Next(3) switch
                {
                    0 => "\"" + new string((char)('a' + rng.Next(26)), rng.Next(2) == 0 ? 300 + rng.Next(2000) : 100_000 + rng.Next(200_000)) + "\"",
                    1 => "\"x\\ud800y\"",
                    _ => null,
                };
                var bytes = text is null
                    ? [(byte)'"', .. InvalidUtf8[rng.Next(InvalidUtf8.Length)], (byte)'"']
                    : Encoding.UTF8.GetBytes(text);
                return Replace(input, value, bytes);
            }

            case 4:
            {
                // Deep nesting around the value: just under, at and over common depth limits, and far over.
                int[] depths = [31, 32, 63, 64, 65, 128, 1000, 10_000, 100_000];
                var depth = depths[rng.Next(depths.Length)];
                var (open, close) = rng.Next(2) == 0 ? ("[", "]") : ("{\"a\":", "}");
                var inner = input.AsSpan(value.Start, value.Length);
                return Replace(input, value, [.. Repeat(open, depth), .. inner, .. Repeat(close, depth)]);
            }

            case 5:
            {
                var other = map.Values[rng.Next(map.Values.Count)];
                return Replace(input, value, input.AsSpan(other.Start, other.Length).ToArray());
            }

            case 6:
            {
                // A value from another seed (structure-aware splice).
                var seed = _seeds[rng.Next(_seeds.Count)];
                var seedMap = JsonMap.Of(seed);
                if (seedMap.Values.Count == 0)
                {
                    return null;
                }

                var donor = seedMap.Values[rng.Next(seedMap.Values.Count)];
                return Replace(input, value, seed.AsSpan(donor.Start, donor.Length).ToArray());
            }

            case 7 when map.Members.Count > 0:
            {
                var member = map.Members[rng.Next(map.Members.Count)];
                return [.. input.AsSpan(0, member.End), (byte)',', .. input.AsSpan(member.Start, member.End - member.Start), .. input.AsSpan(member.End)];
            }

            case 8 when map.Members.Count > 0:
            {
                var member = map.Members[rng.Next(map.Members.Count)];
                byte[] name = rng.Next(3) switch
                {
                    0 => Encoding.UTF8.GetBytes(QuotedToken(rng)),
                    1 => EscapeFirstCharacter(input.AsSpan(member.Start, member.NameLength)),
                    _ => [.. input.AsSpan(member.Start, member.NameLength - 1), .. "-metadata\""u8],
                };
                return [.. input.AsSpan(0, member.Start), .. name, .. input.AsSpan(member.Start + member.NameLength)];
            }

            case 9 when map.Members.Count > 0:
                return RemoveMember(input, map.Members[rng.Next(map.Members.Count)]);
            case 10 when map.ObjectStarts.Count > 0:
            {
                // A new member right after an object's '{'.
                var at = map.ObjectStarts[rng.Next(map.ObjectStarts.Count)] + 1;
                var closes = at < input.Length && input[at] == (byte)'}';
                var member = Encoding.UTF8.GetBytes(QuotedToken(rng) + ":" + GenerateJson(rng, depth: 2) + (closes ? "" : ","));
                return [.. input.AsSpan(0, at), .. member, .. input.AsSpan(at)];
            }

            default:
            {
                var wrapped = rng.Next(2) == 0 ? ("[", "]") : ("{" + QuotedToken(rng) + ":", "}");
                return [.. input.AsSpan(0, value.Start), .. Encoding.UTF8.GetBytes(wrapped.Item1), .. input.AsSpan(value.Start, value.Length),
                    .. Encoding.UTF8.GetBytes(wrapped.Item2), .. input.AsSpan(value.Start + value.Length)];
            }
        }
    }

    private static byte[] Replace(byte[] input, JsonMap.Span value, ReadOnlySpan<byte> with) =>
        [.. input.AsSpan(0, value.Start), .. with, .. input.AsSpan(value.Start + value.Length)];

    private static byte[] Repeat(string text, int times) => Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat(text, times)));

    private static byte[] EscapeFirstCharacter(ReadOnlySpan<byte> quotedName)
    {
        // "source-ref" -> "\u0073ource-ref": the same key to a JSON reader, different bytes to a naive one.
        if (quotedName.Length < 3 || quotedName[1] == (byte)'\\')
        {
            return quotedName.ToArray();
        }

        return [(byte)'"', .. Encoding.ASCII.GetBytes($"\\u{quotedName[1]:x4}"), .. quotedName[2..]];
    }

    private static byte[] RemoveMember(byte[] input, JsonMap.Member member)
    {
        var start = member.Start;
        var end = member.End;
        var after = end;
        while (after < input.Length && input[after] is (byte)' ' or (byte)'\t')
        {
            after++;
        }

        if (after < input.Length && input[after] == (byte)',')
        {
            end = after + 1;
        }
        else
        {
            var before = start - 1;
            while (before >= 0 && input[before] is (byte)' ' or (byte)'\t')
            {
                before--;
            }

            if (before >= 0 && input[before] == (byte)',')
            {
                start = before;
            }
        }

        return [.. input.AsSpan(0, start), .. input.AsSpan(end)];
    }

    /// <summary>Where the values and object members of a JSON text lie (as far as it reads; the rest is ignored).</summary>
    private sealed class JsonMap
    {
        public readonly record struct Span(int Start, int Length);

        public readonly record struct Member(int Start, int NameLength, int End);

        public List<Span> Values { get; } = [];

        public List<Member> Members { get; } = [];

        public List<int> ObjectStarts { get; } = [];

        public static JsonMap Of(byte[] json)
        {
            var map = new JsonMap();
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 256, CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            var pendingName = -1;
            var pendingNameLength = 0;
            try
            {
                while (reader.Read() && map.Values.Count < 4096)
                {
                    var start = (int)reader.TokenStartIndex;
                    switch (reader.TokenType)
                    {
                        case JsonTokenType.PropertyName:
                            pendingName = start;
                            pendingNameLength = QuotedLength(json, start);
                            continue;
                        case JsonTokenType.EndObject or JsonTokenType.EndArray:
                            continue;
                    }

                    int end;
                    if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                    {
                        if (reader.TokenType == JsonTokenType.StartObject)
                        {
                            map.ObjectStarts.Add(start);
                        }

                        var copy = reader;
                        if (!copy.TrySkip())
                        {
                            break;
                        }

                        end = (int)copy.BytesConsumed;
                    }
                    else
                    {
                        end = (int)reader.BytesConsumed;
                    }

                    map.Values.Add(new Span(start, end - start));
                    if (pendingName >= 0)
                    {
                        map.Members.Add(new Member(pendingName, pendingNameLength, end));
                        pendingName = -1;
                    }
                }
            }
            catch (JsonException)
            {
                // A mutated input stops being JSON somewhere: what was read so far is still a map.
            }

            return map;
        }

        private static int QuotedLength(byte[] json, int start)
        {
            var i = start + 1;
            while (i < json.Length && json[i] != (byte)'"')
            {
                i += json[i] == (byte)'\\' ? 2 : 1;
            }

            return Math.Min(i + 1, json.Length) - start;
        }
    }
}
