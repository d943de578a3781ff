using System.Globalization;
using System.Text;
using System.Text.Json;
using CsCheck;
using Rekognition.Server.Tests.TestSupport;

namespace Rekognition.Server.Tests.Properties;

/// <summary>A generated protocol request: the operation (X-Amz-Target suffix) and its JSON body.</summary>
public sealed record WireRequest(string Operation, string Body)
{
    public override string ToString() => $"{Operation} {(Body.Length <= 600 ? Body : Body[..600] + $"... ({Body.Length} chars)")}";
}

/// <summary>
/// Generates requests for every operation of the <see cref="ApiModel"/> from its input shape: members
/// present or missing (required ones too), values that respect the shape's enum, pattern, length and
/// range, and values that do not (other JSON types, too long or short, out of range, unknown enums,
/// nulls, huge numbers, nested garbage, unknown members), plus bodies that are not JSON objects at all.
/// ARNs are drawn from the <see cref="SeededState"/> or made up in the service's format.
/// </summary>
public sealed class RequestGenerator(ApiModel model, SeededState state)
{
    // The ARNs that generated values name: Delete* operations and StopProjectVersion draw from the
    // disposable resources, the others from the kept ones, so that a run does not delete what the rest of it exercises. Set while
    // an operation's generator is built (the generators copy the lists they are built from).
    private SeededState.Resources _targets = state.Kept;

    private const int MaxDepth = 4;
    private const string NameChars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-";
    private const string Hex = "0123456789abcdefABCDEF";

    private static readonly string[] GarbageBodies =
    [
        "", " ", "null", "[]", "[{}]", "\"text\"", "42", "true", "{", "{\"a\":", "{}}", "{\"a\":1,}", "{'a':1}", "\u0000",
        "{\"MaxResults\":1e400}", new string('[', 100) + new string(']', 100), "{\"a\":" + new string('[', 70) + new string(']', 70) + "}",
        "\uFEFF{}", "{\"ProjectName\":\"\\ud800\"}", "{\"ProjectArn\":\"a\",\"ProjectArn\":\"b\"}",
    ];

    private static readonly string[] GarbageValues =
    [
        "null", "true", "false", "0", "-1", "1.5", "-0", "1e400", "-1e400", "1e-400", "2147483648", "-2147483649",
        "9223372036854775808", "99999999999999999999999999999", "4294967296", "1e39", "-1e39", "1.7976931348623157e308", "1E2", "-0.0",
        "{\"a\":\"1\",\"a\":\"2\"}", "{\"\":\"\"}", "{\"aws:x\":\"y\"}", "\"\"", "\" \"", "\"NOT_AN_ENUM\"", "\"train\"",
        "\"\\u0000\"", "\"\\ud800\"", "\"../../../../etc/passwd\"", "\"%s%n%x\"", "\"\\\\\\\\server\\\\share\"",
        "\"arn:aws:rekognition:us-east-1:123456789012:project/x/1\"", "\"s3://bucket/../../key\"",
        "{}", "[]", "[null]", "[[]]", "{\"a\":{\"b\":[1,{\"c\":null}]}}", "[1,\"a\",true,null,{}]",
        "\"" + new string('x', 5000) + "\"", "\"" + string.Concat(Enumerable.Repeat("\\u00e9\\u4e2d", 600)) + "\"",
        new string('[', 30) + new string(']', 30),
    ];

    /// <summary>One request for a random operation.</summary>
    public Gen<WireRequest> Requests()
    {
        var operations = new List<Gen<WireRequest>>();
        foreach (var operation in model.Operations)
        {
            var destructive = operation.Name.StartsWith("Delete", StringComparison.Ordinal) || operation.Name == "StopProjectVersion";
            _targets = destructive ? state.Disposable : state.Kept;
            operations.Add(Body(operation.InputShape).Select(body => new WireRequest(operation.Name, body)));
        }

        return Gen.OneOf<WireRequest>([.. operations]);
    }

    /// <summary>A body for <paramref name="inputShape"/>: mostly an object built from the shape, sometimes not JSON or not an object.</summary>
    public Gen<string> Body(string inputShape) =>
        Gen.Frequency<string>((12, Structure(inputShape, 0, valid: true)), (12, Structure(inputShape, 0, valid: false)), (1, Gen.OneOf(GarbageBodies)));

    /// <summary>
    /// An object of shape <paramref name="name"/>. When <paramref name="valid"/>, required members are
    /// always there and every value respects its shape; otherwise members may be missing or invalid.
    /// </summary>
    private Gen<string> Structure(string name, int depth, bool valid)
    {
        var shape = model.Shape(name);
        var required = shape.TryGetProperty("required", out var r) ? r.EnumerateArray().Select(e => e.GetString()!).ToHashSet() : [];
        var members = shape.TryGetProperty("members", out var m) ? m.EnumerateObject().ToList() : [];
        var body = Gen.Const(string.Empty);
        foreach (var member in members)
        {
            var memberShape = member.Value.GetProperty("shape").GetString()!;
            var key = JsonSerializer.Serialize(member.Name) + ":";
            var good = Value(memberShape, depth, valid).Select(v => (string?)(key + v));
            var bad = Invalid(memberShape, depth).Select(v => (string?)(key + v));
            var absent = Gen.Const((string?)null);
            var entry = (valid, required.Contains(member.Name)) switch
            {
                (true, true) => good,
                (true, false) => Gen.Frequency<string?>((1, absent), (1, good)),
                (false, true) => Gen.Frequency<string?>((14, good), (4, bad), (1, absent)),
                (false, false) => Gen.Frequency<string?>((7, absent), (6, good), (2, bad)),
            };
            body = Gen.Select(body, entry, Join);
        }

        if (valid)
        {
            return body.Select(b => "{" + b + "}");
        }

        var unknown = Gen.Frequency<string?>((12, Gen.Const((string?)null)), (1, Gen.OneOf(GarbageValues).Select(v => (string?)("\"UnknownMember\":" + v))));
        return Gen.Select(body, unknown, Join).Select(b => "{" + b + "}");
    }

    private static string Join(string body, string? entry) => entry is null ? body : body.Length == 0 ? entry : body + "," + entry;

    /// <summary>A value that respects the shape (as far as the generator knows its meaning).</summary>
    private Gen<string> Value(string name, int depth, bool valid)
    {
        var shape = model.Shape(name);
        var type = shape.GetProperty("type").GetString();
        var min = shape.TryGetProperty("min", out var mn) ? mn.GetDouble() : (double?)null;
        var max = shape.TryGetProperty("max", out var mx) ? mx.GetDouble() : (double?)null;
        switch (type)
        {
            case "structure":
                return depth >= MaxDepth ? Gen.Const("{}") : Structure(name, depth + 1, valid);
            case "list":
            {
                var element = model.Shape(name).GetProperty("member").GetProperty("shape").GetString()!;
                var lo = (int)(min ?? 0);
                var hi = Math.Max(lo, Math.Min((int)(max ?? 3), 3));
                var item = valid ? Value(element, depth + 1, valid) : Gen.Frequency<string>((8, Value(element, depth + 1, valid)), (1, Invalid(element, depth + 1)));
                return item.Array[lo, hi].Select(a => "[" + string.Join(',', a) + "]");
            }

            case "map":
            {
                var keyShape = shape.GetProperty("key").GetProperty("shape").GetString()!;
                var valueShape = shape.GetProperty("value").GetProperty("shape").GetString()!;
                var item = valid ? Value(valueShape, depth + 1, valid) : Gen.Frequency<string>((8, Value(valueShape, depth + 1, valid)), (1, Invalid(valueShape, depth + 1)));
                return Gen.Select(Value(keyShape, depth + 1, valid), item, (k, v) => k + ":" + v)
                    .Array[0, 3].Select(a => "{" + string.Join(',', a) + "}");
            }

            case "string":
                return StringValue(name, shape, (int)(min ?? 0), (int)Math.Min(max ?? 64, 64)).Select(Quote);
            case "integer":
            case "long":
                return Gen.Int[(int)(min ?? -5), (int)Math.Min(max ?? 1000, 1000)].Select(i => i.ToString(CultureInfo.InvariantCulture));
            case "float":
            case "double":
                return Gen.Int[(int)((min ?? 0) * 100), (int)((max ?? 100) * 100)].Select(i => (i / 100.0).ToString("R", CultureInfo.InvariantCulture));
            case "boolean":
                return Gen.Bool.Select(b => b ? "true" : "false");
            case "blob":
                return BlobValue(name);
            case "timestamp":
                return Gen.Int[0, int.MaxValue].Select(i => i.ToString(CultureInfo.InvariantCulture));
            default:
                throw new InvalidOperationException($"The model has a shape type the generator does not know: {type} ({name}).");
        }
    }

    /// <summary>A value the shape does not allow: another JSON type, out of its bounds, or garbage.</summary>
    private Gen<string> Invalid(string name, int depth)
    {
        var shape = model.Shape(name);
        var type = shape.GetProperty("type").GetString();
        var max = shape.TryGetProperty("max", out var mx) ? mx.GetDouble() : (double?)null;
        var min = shape.TryGetProperty("min", out var mn) ? mn.GetDouble() : (double?)null;
        var options = new List<(int, IGen<string>)> { (6, Gen.OneOf(GarbageValues)) };
        switch (type)
        {
            case "string" when max is { } m && m <= 5000:
                options.Add((2, Gen.Const(Quote(new string('a', (int)m + 1)))));
                options.Add((1, Gen.Char['\u0001', '\u2fff'].Array[1, 40].Select(c => Quote(new string(c)))));
                break;
            case "string":
                options.Add((1, Gen.Char['\u0001', '\u2fff'].Array[1, 40].Select(c => Quote(new string(c)))));
                break;
            case "integer" or "long" or "float" or "double":
                options.Add((2, Gen.Long.Select(l => l.ToString(CultureInfo.InvariantCulture))));
                if (min is { } low)
                {
                    options.Add((1, Gen.Const((low - 1).ToString(CultureInfo.InvariantCulture))));
                }

                if (max is { } high)
                {
                    options.Add((1, Gen.Const((high + 1).ToString(CultureInfo.InvariantCulture))));
                }

                break;
            case "list" when max is { } m && m <= 200 && depth < MaxDepth:
            {
                var element = shape.GetProperty("member").GetProperty("shape").GetString()!;
                options.Add((2, Value(element, depth + 1, valid: true).Array[(int)m + 1].Select(a => "[" + string.Join(',', a) + "]")));
                break;
            }

            case "blob":
                options.Add((2, Gen.Const("\"not base64!\"")));
                options.Add((1, Gen.Const("\"\"")));
                break;
        }

        return Gen.Frequency<string>([.. options]);
    }

    private Gen<string> StringValue(string name, JsonElement shape, int min, int max)
    {
        if (shape.TryGetProperty("enum", out var values))
        {
            return Gen.OneOf(values.EnumerateArray().Select(v => v.GetString()!).ToArray());
        }

        return name switch
        {
            "ProjectArn" => Arn(_targets.Projects, RandomProjectArn()),
            "DatasetArn" => Arn([.. _targets.Datasets], RandomDatasetArn()),
            "ProjectVersionArn" => Arn(_targets.Versions, RandomVersionArn()),
            "ResourceArn" => Arn([.. _targets.Projects, .. _targets.Datasets, .. _targets.Versions], Gen.OneOf<string>(RandomProjectArn(), RandomDatasetArn(), RandomVersionArn())),
            "ExtendedPaginationToken" => Gen.Frequency<string>(
                (2, Gen.Int[0, int.MaxValue].Select(i => state.Tokens.ToArray() is { Length: > 0 } seen ? seen[i % seen.Length] : string.Empty)),
                (1, Text(NameChars, 0, max))),
            "ProjectPolicyDocument" => Gen.Frequency<string>((3, Gen.Const(SeededState.PolicyDocument)), (1, Text(" !\"#$%&'()*+,-./0123456789:;<=>?@ABCZabcz{|}~", 1, max))),
            "ProjectPolicyRevisionId" => Text(Hex, Math.Max(1, min), max),
            "ProjectPolicyName" => Gen.Frequency<string>((2, Gen.Const("seed-policy")), (1, Text(NameChars, Math.Max(1, min), max))),
            "S3Bucket" => Gen.Frequency<string>((2, Gen.Const("seed")), (1, Text("abcdefghijklmnopqrstuvwxyz0123456789.-", Math.Max(3, min), max))),
            "S3ObjectName" => Gen.Frequency<string>((2, Gen.OneOf("images/0.png", "images/missing.png", "manifests/none.manifest")), (1, Text(NameChars + "/", Math.Max(1, min), max))),
            "ProjectName" or "VersionName" => Gen.Frequency<string>((1, Gen.OneOf("seed-0", "seed-1")), (3, Text(NameChars, Math.Max(1, min), max))),
            "TagKey" or "TagValue" => Text("abcXYZ019 _.:/=+-@", Math.Max(name == "TagKey" ? 1 : 0, min), max),
            _ when shape.TryGetProperty("pattern", out var pattern) && pattern.GetString() == "[a-zA-Z0-9_.\\-]+" => Text(NameChars, Math.Max(1, min), max),
            _ => Text("abcdefghijklmnopqrstuvwxyzABC0123456789 -_.", Math.Max(1, min), max),
        };
    }

    private static Gen<string> Arn(IReadOnlyList<string> existing, Gen<string> madeUp) =>
        existing.Count == 0 ? madeUp : Gen.Frequency<string>((3, Gen.OneOf([.. existing])), (1, madeUp));

    private static Gen<string> RandomProjectArn() =>
        Gen.Select(Text(NameChars, 1, 20), Gen.Long[0, long.MaxValue], (n, t) => $"arn:aws:rekognition:us-east-1:123456789012:project/{n}/{t}");

    private static Gen<string> RandomDatasetArn() =>
        Gen.Select(Gen.OneOf("seed-0", "seed-1", "other"), Gen.OneOf("train", "test"), Gen.Long[0, long.MaxValue], (n, k, t) => $"arn:aws:rekognition:us-east-1:123456789012:project/{n}/dataset/{k}/{t}");

    private static Gen<string> RandomVersionArn() =>
        Gen.Select(Gen.OneOf("seed-0", "seed-1", "other"), Text(NameChars, 1, 12), Gen.Long[0, long.MaxValue], (n, v, t) => $"arn:aws:rekognition:us-east-1:123456789012:project/{n}/version/{v}/{t}");

    private Gen<string> BlobValue(string name)
    {
        var bytes = Gen.Byte.Array[1, 64];
        if (name == "GroundTruthBlob")
        {
            var line = Gen.Select(Gen.Int[0, 9], Gen.OneOf("cat", "dog", "bird"), (i, label) => ManifestLines.Classification($"s3://seed/images/{i}.png", label));
            return Gen.Frequency<byte[]>(
                    (2, line.Array[1, 3].Select(lines => Encoding.UTF8.GetBytes(string.Join('\n', lines)))),
                    (1, bytes))
                .Select(b => Quote(Convert.ToBase64String(b)));
        }

        if (name == "ImageBlob")
        {
            // Real photos too, so that a running model gets past decoding.
            var photo = Gen.Select(Gen.Byte, Gen.Byte, Gen.Int[0, 1000], (r, g, seed) => ColourSquares.Png(new SkiaSharp.SKColor(r, g, 128), seed));
            return Gen.Frequency<byte[]>((1, photo), (1, bytes)).Select(b => Quote(Convert.ToBase64String(b)));
        }

        return bytes.Select(b => Quote(Convert.ToBase64String(b)));
    }

    private static Gen<string> Text(string chars, int min, int max) =>
        Gen.Char[chars].Array[min, Math.Max(min, max)].Select(c => new string(c));

    private static string Quote(string value) => JsonSerializer.Serialize(value);
}
