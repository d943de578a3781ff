using System.Text.RegularExpressions;

namespace Rekognition.Core.Arns;

/// <summary>What kind of resource an ARN names.</summary>
internal enum ResourceKind
{
    Project,
    Dataset,
    ProjectVersion,
}

/// <summary>A parsed Custom Labels ARN.</summary>
/// <param name="Kind">The resource kind.</param>
/// <param name="Region">The region segment.</param>
/// <param name="AccountId">The 12-digit account segment.</param>
/// <param name="ProjectName">The project name segment.</param>
/// <param name="SubName">The dataset type (<c>train</c>/<c>test</c>) or the version name; null for a project.</param>
/// <param name="Timestamp">The creation timestamp segment (epoch milliseconds).</param>
internal readonly record struct ParsedArn(ResourceKind Kind, string Region, string AccountId, string ProjectName, string? SubName, long Timestamp);

/// <summary>
/// Builds and parses ARNs in the service's layouts, with the store's account and region, so code that
/// splits ARNs on '/' (as the guide's samples do) keeps working.
/// </summary>
internal static partial class ResourceArns
{
    public static string Project(string region, string account, string projectName, long createdMs) =>
        $"arn:aws:rekognition:{region}:{account}:project/{projectName}/{createdMs}";

    public static string Dataset(string region, string account, string projectName, string datasetType, long createdMs) =>
        $"arn:aws:rekognition:{region}:{account}:project/{projectName}/dataset/{datasetType.ToLowerInvariant()}/{createdMs}";

    public static string ProjectVersion(string region, string account, string projectName, string versionName, long createdMs) =>
        $"arn:aws:rekognition:{region}:{account}:project/{projectName}/version/{versionName}/{createdMs}";

    /// <summary>Parses an ARN of any of the three kinds; false when it has none of their shapes.</summary>
    public static bool TryParse(string? arn, out ParsedArn parsed)
    {
        parsed = default;
        if (arn is null || arn.Length is < 20 or > 2048)
        {
            return false;
        }

        var m = ArnPattern().Match(arn);
        if (!m.Success || !long.TryParse(m.Groups["ts"].ValueSpan, out var ts))
        {
            return false;
        }

        var kind = m.Groups["kind"].Success
            ? (m.Groups["kind"].Value == "dataset" ? ResourceKind.Dataset : ResourceKind.ProjectVersion)
            : ResourceKind.Project;
        parsed = new ParsedArn(kind, m.Groups["region"].Value, m.Groups["account"].Value, m.Groups["project"].Value,
            m.Groups["sub"].Success ? m.Groups["sub"].Value : null, ts);
        return true;
    }

    [GeneratedRegex(@"^arn:[a-z\d-]+:rekognition:(?<region>[a-z\d-]+):(?<account>\d{12}):project/(?<project>[a-zA-Z0-9_.\-]{1,255})/(?:(?<kind>dataset)/(?<sub>train|test)/|(?<kind>version)/(?<sub>[a-zA-Z0-9_.\-]{1,255})/)?(?<ts>[0-9]+)$", RegexOptions.CultureInvariant)]
    private static partial Regex ArnPattern();
}
