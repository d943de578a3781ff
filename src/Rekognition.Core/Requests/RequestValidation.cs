using System.Text.RegularExpressions;
using Rekognition.Core.Arns;
using Rekognition.Core.Model;
using Rekognition.Core.Storage;

namespace Rekognition.Core.Requests;

/// <summary>
/// Checks request members against the API model's constraints, server side, as the service does
/// (clients validate little). Violations raise <see cref="InvalidParameterException"/>; a page size above
/// the maximum raises <see cref="ValidationException"/>, as the model documents.
/// </summary>
internal static partial class RequestValidation
{
    public static string Required(string? value, string member)
    {
        if (string.IsNullOrEmpty(value))
        {
            throw new InvalidParameterException($"1 validation error detected: Value null at '{Camel(member)}' failed to satisfy constraint: Member must not be null.");
        }

        return value;
    }

    public static T Required<T>(T? value, string member)
        where T : class =>
        value ?? throw new InvalidParameterException($"1 validation error detected: Value null at '{Camel(member)}' failed to satisfy constraint: Member must not be null.");

    public static void Length(string value, string member, int min, int max)
    {
        if (value.Length < min || value.Length > max)
        {
            throw new InvalidParameterException(
                $"1 validation error detected: Value '{Shorten(value)}' at '{Camel(member)}' failed to satisfy constraint: Member must have length between {min} and {max}.");
        }
    }

    public static void Pattern(string value, string member, Regex pattern, string patternText)
    {
        if (!pattern.IsMatch(value))
        {
            throw new InvalidParameterException(
                $"1 validation error detected: Value '{Shorten(value)}' at '{Camel(member)}' failed to satisfy constraint: Member must satisfy regular expression pattern: {patternText}");
        }
    }

    public static int PageSize(int? value, string member, int max, int defaultValue)
    {
        if (value is null)
        {
            return defaultValue;
        }

        if (value < 1)
        {
            throw new InvalidParameterException(
                $"1 validation error detected: Value '{value}' at '{Camel(member)}' failed to satisfy constraint: Member must have value greater than or equal to 1");
        }

        if (value > max)
        {
            throw new ValidationException(
                $"1 validation error detected: Value '{value}' at '{Camel(member)}' failed to satisfy constraint: Member must have value less than or equal to {max}");
        }

        return value.Value;
    }

    /// <summary>
    /// Checks a training or copy's OutputConfig and returns it with the prefix never null. The files go to
    /// <c>s3://S3Bucket/S3KeyPrefix + versionName + "/"</c>, a folder under the buckets root: the bucket must be a plain
    /// bucket name and that key a plain relative path (<see cref="S3Names"/>), checked here so that a request that would
    /// write anywhere else fails before anything is written.
    /// </summary>
    public static Model.OutputConfig OutputConfig(Model.OutputConfig? value, string versionName)
    {
        var output = Required(value, "OutputConfig");
        var bucket = Required(output.S3Bucket, "OutputConfig.S3Bucket");
        Length(bucket, "OutputConfig.S3Bucket", 3, 255);
        if (S3Names.BucketProblem(bucket) is { } bucketProblem)
        {
            throw new InvalidParameterException($"OutputConfig.S3Bucket '{Shorten(bucket)}' is not a valid bucket name: {bucketProblem}.");
        }

        var prefix = output.S3KeyPrefix ?? "";
        if (prefix.Length > S3Names.MaxKeyLength)
        {
            throw new InvalidParameterException("OutputConfig.S3KeyPrefix must be at most 1024 characters.");
        }

        if (S3Names.KeyProblem(prefix, isPrefix: true) is { } prefixProblem)
        {
            throw new InvalidParameterException($"OutputConfig.S3KeyPrefix '{Shorten(prefix)}' cannot prefix object keys: {prefixProblem}.");
        }

        // The version's files are written under prefix + VersionName + "/": "." or ".." as a version name would climb too.
        var folder = prefix + versionName + "/";
        if (S3Names.KeyProblem(folder, isPrefix: true) is { } folderProblem)
        {
            throw new InvalidParameterException(
                $"The training output goes to s3://{Shorten(bucket)}/{Shorten(folder)}, which is not a valid object key prefix: {folderProblem}. Choose another VersionName or S3KeyPrefix.");
        }

        return new Model.OutputConfig { S3Bucket = bucket, S3KeyPrefix = prefix };
    }

    /// <summary>Checks an optional KmsKeyId (1..2048 characters).</summary>
    public static void KmsKeyId(string? value)
    {
        if (value is not null)
        {
            Length(value, "KmsKeyId", 1, 2048);
        }
    }

    public static string ProjectName(string? value, string member = "ProjectName")
    {
        var name = Required(value, member);
        Length(name, member, 1, 255);
        Pattern(name, member, NamePattern(), "[a-zA-Z0-9_.\\-]+");
        return name;
    }

    public static string PolicyName(string? value)
    {
        var name = Required(value, "PolicyName");
        Length(name, "PolicyName", 1, 128);
        Pattern(name, "PolicyName", NamePattern(), "[a-zA-Z0-9_.\\-]+");
        return name;
    }

    public static string? PolicyRevisionId(string? value)
    {
        if (value is null)
        {
            return null;
        }

        Length(value, "PolicyRevisionId", 1, 64);
        Pattern(value, "PolicyRevisionId", HexPattern(), "[0-9A-Fa-f]+");
        return value;
    }

    public static ParsedArn Arn(string? value, string member, ResourceKind kind)
    {
        var arn = Required(value, member);
        Length(arn, member, 20, 2048);
        if (!ResourceArns.TryParse(arn, out var parsed) || parsed.Kind != kind)
        {
            var what = kind switch
            {
                ResourceKind.Project => "a project ARN (arn:aws:rekognition:<region>:<account>:project/<name>/<timestamp>)",
                ResourceKind.Dataset => "a dataset ARN (arn:aws:rekognition:<region>:<account>:project/<name>/dataset/<train|test>/<timestamp>)",
                _ => "a project version ARN (arn:aws:rekognition:<region>:<account>:project/<name>/version/<version>/<timestamp>)",
            };
            throw new InvalidParameterException($"1 validation error detected: Value '{Shorten(arn)}' at '{Camel(member)}' failed to satisfy constraint: Member must be {what}.");
        }

        return parsed;
    }

    /// <summary>Checks a tag map against the TagMap constraints (200 entries, key and value patterns).</summary>
    public static void Tags(IReadOnlyDictionary<string, string>? tags, string member = "Tags")
    {
        if (tags is null)
        {
            return;
        }

        if (tags.Count > 200)
        {
            throw new InvalidParameterException($"1 validation error detected: Value at '{Camel(member)}' failed to satisfy constraint: Member must have at most 200 entries.");
        }

        foreach (var (key, value) in tags)
        {
            TagKey(key, member + ".key");
            if (value is null || value.Length > 256 || !TagValuePattern().IsMatch(value))
            {
                throw new InvalidParameterException(
                    $"1 validation error detected: Value '{Shorten(value ?? "null")}' at '{Camel(member)}.{key}' failed to satisfy constraint: Member must have length at most 256 and satisfy regular expression pattern: ^([\\p{{L}}\\p{{Z}}\\p{{N}}_.:/=+\\-@]*)$");
            }
        }
    }

    public static void TagKey(string? key, string member)
    {
        if (string.IsNullOrEmpty(key) || key.Length > 128 || !TagKeyPattern().IsMatch(key))
        {
            throw new InvalidParameterException(
                $"1 validation error detected: Value '{Shorten(key ?? "null")}' at '{Camel(member)}' failed to satisfy constraint: Member must have length between 1 and 128, not start with 'aws:' and satisfy regular expression pattern: ^(?!aws:)[\\p{{L}}\\p{{Z}}\\p{{N}}_.:/=+\\-@]*$");
        }
    }

    private static string Camel(string member) => member.Length == 0 ? member : char.ToLowerInvariant(member[0]) + member[1..];

    private static string Shorten(string value) => value.Length <= 128 ? value : value[..125] + "...";

    [GeneratedRegex(@"^[a-zA-Z0-9_.\-]+$", RegexOptions.CultureInvariant)]
    internal static partial Regex NamePattern();

    [GeneratedRegex(@"^[0-9A-Fa-f]+$", RegexOptions.CultureInvariant)]
    private static partial Regex HexPattern();

    [GeneratedRegex(@"^(?!aws:)[\p{L}\p{Z}\p{N}_.:/=+\-@]*$", RegexOptions.CultureInvariant)]
    private static partial Regex TagKeyPattern();

    [GeneratedRegex(@"^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$", RegexOptions.CultureInvariant)]
    private static partial Regex TagValuePattern();
}
