using System.Text.Json;
using Rekognition.Core.Model;

namespace Rekognition.Core.Policies;

/// <summary>
/// The rules a project policy document must follow: IAM JSON with a Version and one or more statements,
/// each with Effect, Principal, Action and Resource; the only action is
/// <c>rekognition:CopyProjectVersion</c>; NotAction, NotResource and NotPrincipal are refused.
/// A document that breaks them raises <see cref="MalformedPolicyDocumentException"/> naming the rule.
/// </summary>
internal static class PolicyDocumentRules
{
    public const string CopyAction = "rekognition:CopyProjectVersion";

    private static readonly HashSet<string> StatementMembers = new(StringComparer.Ordinal)
    {
        "Sid", "Effect", "Principal", "Action", "Resource", "Condition",
    };

    public static void Check(string document)
    {
        JsonDocument parsed;
        try
        {
            parsed = JsonDocument.Parse(document);
        }
        catch (JsonException ex)
        {
            throw Malformed($"the document is not valid JSON ({ex.Message})");
        }

        using (parsed)
        {
            var root = parsed.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Malformed("the document must be a JSON object");
            }

            if (!root.TryGetProperty("Version", out var version) || version.ValueKind != JsonValueKind.String ||
                version.GetString() is not ("2012-10-17" or "2008-10-17"))
            {
                throw Malformed("\"Version\" must be \"2012-10-17\"");
            }

            if (!root.TryGetProperty("Statement", out var statements))
            {
                throw Malformed("\"Statement\" is missing");
            }

            var list = statements.ValueKind switch
            {
                JsonValueKind.Object => new[] { statements },
                JsonValueKind.Array => statements.EnumerateArray().ToArray(),
                _ => throw Malformed("\"Statement\" must be an object or an array of objects"),
            };
            if (list.Length == 0)
            {
                throw Malformed("\"Statement\" must hold at least one statement");
            }

            for (var i = 0; i < list.Length; i++)
            {
                CheckStatement(list[i], i);
            }
        }
    }

    private static void CheckStatement(JsonElement statement, int index)
    {
        var where = $"statement {index + 1}";
        if (statement.ValueKind != JsonValueKind.Object)
        {
            throw Malformed($"{where} must be a JSON object");
        }

        foreach (var member in statement.EnumerateObject())
        {
            if (member.Name is "NotAction" or "NotResource" or "NotPrincipal")
            {
                throw Malformed($"{where} uses \"{member.Name}\", which project policies do not support");
            }

            if (!StatementMembers.Contains(member.Name))
            {
                throw Malformed($"{where} has an unknown member \"{member.Name}\"");
            }
        }

        if (!statement.TryGetProperty("Effect", out var effect) || effect.ValueKind != JsonValueKind.String ||
            !(string.Equals(effect.GetString(), "Allow", StringComparison.OrdinalIgnoreCase) || string.Equals(effect.GetString(), "Deny", StringComparison.OrdinalIgnoreCase)))
        {
            throw Malformed($"{where}: \"Effect\" must be \"Allow\" or \"Deny\"");
        }

        if (!statement.TryGetProperty("Principal", out var principal) ||
            !(principal.ValueKind == JsonValueKind.Object || principal.ValueKind == JsonValueKind.String && principal.GetString() == "*"))
        {
            throw Malformed($"{where}: \"Principal\" must be \"*\" or an object such as {{\"AWS\": \"arn:aws:iam::123456789012:root\"}}");
        }

        foreach (var action in Strings(statement, "Action", where))
        {
            if (!string.Equals(action, CopyAction, StringComparison.OrdinalIgnoreCase))
            {
                throw Malformed($"{where}: action \"{action}\" is not supported; the only action is \"{CopyAction}\"");
            }
        }

        foreach (var resource in Strings(statement, "Resource", where))
        {
            if (!resource.StartsWith("arn:", StringComparison.Ordinal) && resource != "*")
            {
                throw Malformed($"{where}: resource \"{resource}\" must be a model version ARN or an ARN pattern ending in version/*");
            }
        }
    }

    private static string[] Strings(JsonElement statement, string member, string where)
    {
        if (!statement.TryGetProperty(member, out var value))
        {
            throw Malformed($"{where}: \"{member}\" is missing");
        }

        if (value.ValueKind == JsonValueKind.String)
        {
            return new[] { value.GetString()! };
        }

        if (value.ValueKind == JsonValueKind.Array && value.GetArrayLength() > 0 &&
            value.EnumerateArray().All(v => v.ValueKind == JsonValueKind.String))
        {
            return value.EnumerateArray().Select(v => v.GetString()!).ToArray();
        }

        throw Malformed($"{where}: \"{member}\" must be a string or a non-empty array of strings");
    }

    private static MalformedPolicyDocumentException Malformed(string why) =>
        new($"The project policy document is malformed: {why}.");
}
