using System.Collections;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Amazon.Runtime;
using Rekognition.Core;
using Rekognition.Server.Json;
using Rekognition.Server.Protocol;
using Rekognition.Server.Tests.TestSupport;

namespace Rekognition.Server.Tests.Fuzzing;

/// <summary>
/// Seeds for the JSON protocol fuzz tests: the request bodies of the spec's wire capture (what boto3 and the
/// AWS CLI really send), and for every operation a body with each member of its input shape filled in, so
/// operations without a capture start from their real structure too. The dictionary is every member name.
/// </summary>
internal static partial class JsonProtocolSeeds
{
    /// <summary>Stands for the ARN of the project the HTTP tests create; the check puts the real ARN in before sending.</summary>
    public const string ProjectArnPlaceholder = "arn:fuzz:project";

    /// <summary>Stands for the ARN of the dataset the HTTP tests create.</summary>
    public const string DatasetArnPlaceholder = "arn:fuzz:dataset";

    /// <summary>Operations never aimed at the created project and dataset: they would delete them or start a training.</summary>
    private static readonly HashSet<string> Untargeted = new(StringComparer.Ordinal) { "DeleteProject", "DeleteDataset", "CreateProjectVersion" };

    private static readonly Dictionary<string, string> Targets = new(StringComparer.Ordinal)
    {
        ["ProjectArn"] = ProjectArnPlaceholder,
        ["ResourceArn"] = ProjectArnPlaceholder,
        ["DatasetArn"] = DatasetArnPlaceholder,
    };

    /// <summary>Every operation the endpoint serves.</summary>
    public static IReadOnlyList<string> Operations { get; } = RekognitionOperations.All.Keys.Order(StringComparer.Ordinal).ToArray();

    /// <summary>Seed bodies per operation.</summary>
    public static IReadOnlyDictionary<string, List<byte[]>> Load()
    {
        var seeds = Operations.ToDictionary(op => op, op => new List<byte[]> { "{}"u8.ToArray(), Encoding.UTF8.GetBytes(Skeleton(RekognitionOperations.All[op].RequestType, 0, null)) });
        foreach (var op in Operations.Where(op => !Untargeted.Contains(op)))
        {
            // Aimed at resources that exist, requests get past the lookups into the operations themselves.
            var members = WireJson.Options.GetTypeInfo(RekognitionOperations.All[op].RequestType).Properties.Select(p => p.Name).Where(Targets.ContainsKey).ToArray();
            if (members.Length > 0)
            {
                seeds[op].Add(Encoding.UTF8.GetBytes(Skeleton(RekognitionOperations.All[op].RequestType, 0, Targets)));
                seeds[op].Add(Encoding.UTF8.GetBytes("{" + string.Join(",", members.Select(m => $"\"{m}\":\"{Targets[m]}\"")) + "}"));
            }
        }

        var folder = SharedFolder.PathOf("spec/rekognition-api/wire-capture");
        var captured = 0;
        foreach (var file in Directory.EnumerateFiles(folder).Order(StringComparer.Ordinal))
        {
            var text = File.ReadAllText(file);
            var target = TargetHeader().Match(text);
            var body = text.IndexOf("\n\n", StringComparison.Ordinal);
            if (!text.StartsWith("POST ", StringComparison.Ordinal) || !target.Success || body < 0 || !seeds.TryGetValue(target.Groups[1].Value, out var list))
            {
                continue;
            }

            var end = text.IndexOf("\n\n----", body, StringComparison.Ordinal);
            list.Add(Encoding.UTF8.GetBytes(text[(body + 2)..(end < 0 ? text.Length : end)].Trim()));
            captured++;
        }

        Assert.That(captured, Is.GreaterThan(10), $"too few captured requests under {folder}");
        return seeds;
    }

    /// <summary>Lines of the real Ground Truth manifests (shared/data/groundtruth), for the manifest changes of <c>UpdateDatasetEntries</c>.</summary>
    public static IReadOnlyList<byte[]> ManifestLines()
    {
        var folder = SharedFolder.PathOf("data/groundtruth");
        var lines = Directory.EnumerateFiles(folder, "*.manifest", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .SelectMany(File.ReadLines).Where(l => l.Length > 0).Distinct(StringComparer.Ordinal).Select(Encoding.UTF8.GetBytes).ToArray();
        Assert.That(lines, Has.Length.GreaterThan(100), $"too few Ground Truth lines under {folder}");
        return lines;
    }

    /// <summary>Member names of every request shape, and a few values the shapes give meaning to.</summary>
    public static IEnumerable<byte[]> Dictionary()
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var handler in RekognitionOperations.All.Values)
        {
            Collect(handler.RequestType, names, 0);
        }

        names.UnionWith(["arn:aws:rekognition:us-east-1:123456789012:project/p/1700000000000", "s3://", "TRAIN", "TEST", "CREATED", "ImageBytes"]);
        return names.Select(Encoding.UTF8.GetBytes).ToArray();
    }

    private static void Collect(Type type, SortedSet<string> names, int depth)
    {
        if (depth > 6 || ElementType(type) is not { } shape)
        {
            return;
        }

        var info = WireJson.Options.GetTypeInfo(shape);
        foreach (var property in info.Properties)
        {
            if (names.Add(property.Name))
            {
                Collect(property.PropertyType, names, depth + 1);
            }
        }
    }

    /// <summary>The object shape in <paramref name="type"/> (itself, or a list's or map's element); null for scalars.</summary>
    private static Type? ElementType(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string) || type.IsPrimitive || type == typeof(DateTime) || type == typeof(MemoryStream) || typeof(ConstantClass).IsAssignableFrom(type) || type.IsEnum)
        {
            return null;
        }

        if (typeof(IEnumerable).IsAssignableFrom(type) && type.IsGenericType)
        {
            return ElementType(type.GetGenericArguments()[^1]);
        }

        return type.IsClass ? type : null;
    }

    /// <summary>A JSON value of <paramref name="type"/> with every member present.</summary>
    private static string Skeleton(Type type, int depth, IReadOnlyDictionary<string, string>? targets)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string))
        {
            return "\"x\"";
        }

        if (type == typeof(bool))
        {
            return "true";
        }

        if (type == typeof(float) || type == typeof(double))
        {
            return "1.5";
        }

        if (type.IsPrimitive)
        {
            return "1";
        }

        if (type == typeof(DateTime))
        {
            return "1700000000.5";
        }

        if (type == typeof(MemoryStream))
        {
            return "\"iVBORw0KGgo=\"";
        }

        if (typeof(ConstantClass).IsAssignableFrom(type))
        {
            var known = type.GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static).FirstOrDefault(f => f.FieldType == type);
            return JsonSerializer.Serialize(known?.GetValue(null) is ConstantClass c ? c.Value : "VALUE");
        }

        if (type.IsGenericType && typeof(IDictionary).IsAssignableFrom(type))
        {
            return "{\"k\":" + Skeleton(type.GetGenericArguments()[1], depth + 1, null) + "}";
        }

        if (type.IsGenericType && typeof(IEnumerable).IsAssignableFrom(type))
        {
            return "[" + Skeleton(type.GetGenericArguments()[0], depth + 1, null) + "]";
        }

        if (depth > 5)
        {
            return "{}";
        }

        var info = WireJson.Options.GetTypeInfo(type);
        return "{" + string.Join(",", info.Properties.Select(p => JsonSerializer.Serialize(p.Name) + ":"
            + (targets is not null && targets.TryGetValue(p.Name, out var arn) ? JsonSerializer.Serialize(arn) : Skeleton(p.PropertyType, depth + 1, null)))) + "}";
    }

    [GeneratedRegex(@"^X-Amz-Target: RekognitionService\.(\w+)\r?$", RegexOptions.Multiline)]
    private static partial Regex TargetHeader();
}
