using System.Text.Json;

namespace Rekognition.Core.Policies;

/// <summary>What the project policies of a source project say about one copy.</summary>
internal enum PolicyDecision
{
    /// <summary>No statement applies: same-account callers may copy, others may not.</summary>
    NotMentioned,

    /// <summary>An Allow statement applies and no Deny does.</summary>
    Allowed,

    /// <summary>A Deny statement applies; it wins over any Allow.</summary>
    Denied,
}

/// <summary>
/// Evaluates project policy documents (already checked by <see cref="PolicyDocumentRules"/>) for one request
/// as IAM evaluates resource policies: a statement applies when its Principal, Action and Resource all match;
/// an explicit Deny wins; otherwise an Allow grants. Patterns use <c>*</c> and <c>?</c> wildcards; actions
/// compare without case, principals and resources with case.
/// </summary>
/// <remarks>
/// The caller is an account (a local store has no users or roles): it matches a principal written as its
/// 12-digit id, as <c>arn:aws:iam::{account}:root</c>, or as a pattern matching that ARN, and <c>"*"</c>.
/// Condition keys cannot be evaluated locally, so a statement with a Condition is taken the safe way:
/// a Deny applies, an Allow does not grant.
/// </remarks>
internal static class PolicyEvaluator
{
    /// <summary>The decision of all <paramref name="documents"/> for <paramref name="callerAccount"/> doing <paramref name="action"/> on <paramref name="resourceArn"/>.</summary>
    public static PolicyDecision Evaluate(IEnumerable<string> documents, string callerAccount, string action, string resourceArn)
    {
        var allowed = false;
        foreach (var document in documents)
        {
            using var parsed = JsonDocument.Parse(document);
            var statements = parsed.RootElement.GetProperty("Statement");
            var list = statements.ValueKind == JsonValueKind.Array ? statements.EnumerateArray().ToArray() : new[] { statements };
            foreach (var statement in list)
            {
                if (!Applies(statement, callerAccount, action, resourceArn))
                {
                    continue;
                }

                var deny = string.Equals(statement.GetProperty("Effect").GetString(), "Deny", StringComparison.OrdinalIgnoreCase);
                var conditional = statement.TryGetProperty("Condition", out _);
                if (deny)
                {
                    return PolicyDecision.Denied;
                }

                allowed |= !conditional;
            }
        }

        return allowed ? PolicyDecision.Allowed : PolicyDecision.NotMentioned;
    }

    /// <summary>The caller's principal ARN as error messages name it.</summary>
    public static string PrincipalArn(string account) => $"arn:aws:iam::{account}:root";

    private static bool Applies(JsonElement statement, string account, string action, string resource) =>
        PrincipalMatches(statement.GetProperty("Principal"), account) &&
        Strings(statement.GetProperty("Action")).Any(pattern => Wildcard.Matches(pattern, action, ignoreCase: true)) &&
        Strings(statement.GetProperty("Resource")).Any(pattern => Wildcard.Matches(pattern, resource, ignoreCase: false));

    private static bool PrincipalMatches(JsonElement principal, string account)
    {
        if (principal.ValueKind == JsonValueKind.String)
        {
            return principal.GetString() == "*";
        }

        // Only AWS principals can name an account; Service or Federated principals never match it.
        if (!principal.TryGetProperty("AWS", out var aws))
        {
            return false;
        }

        var root = PrincipalArn(account);
        return Strings(aws).Any(p => p == "*" || p == account || Wildcard.Matches(p, root, ignoreCase: false));
    }

    private static IEnumerable<string> Strings(JsonElement value) =>
        value.ValueKind == JsonValueKind.Array ? value.EnumerateArray().Select(v => v.GetString() ?? "") : new[] { value.GetString() ?? "" };
}

/// <summary>IAM-style patterns: <c>*</c> matches any run of characters (also none), <c>?</c> exactly one.</summary>
internal static class Wildcard
{
    public static bool Matches(string pattern, string value, bool ignoreCase)
    {
        // Greedy matching with one backtrack point (the last '*'), linear for the patterns policies use.
        int p = 0, v = 0, star = -1, mark = 0;
        while (v < value.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || Same(pattern[p], value[v], ignoreCase)))
            {
                p++;
                v++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                mark = v;
            }
            else if (star >= 0)
            {
                p = star + 1;
                v = ++mark;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }

    private static bool Same(char a, char b, bool ignoreCase) =>
        a == b || ignoreCase && char.ToUpperInvariant(a) == char.ToUpperInvariant(b);
}
