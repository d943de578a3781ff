using Microsoft.Extensions.Options;

namespace Rekognition.Core;

/// <summary>Checks <see cref="RekognitionOptions"/> when the host starts (ValidateOnStart), with messages that say what to fix.</summary>
internal sealed class RekognitionOptionsValidator : IValidateOptions<RekognitionOptions>
{
    public ValidateOptionsResult Validate(string? name, RekognitionOptions options) =>
        Failure(options) is { } failure ? ValidateOptionsResult.Fail(failure) : ValidateOptionsResult.Success;

    /// <summary>What is wrong with <paramref name="options"/>, or null when nothing is.</summary>
    public static string? Failure(RekognitionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.StoreRoot))
        {
            return "RekognitionOptions.StoreRoot must name a folder.";
        }

        if (options.AccountId is not { Length: 12 } account || !account.All(char.IsAsciiDigit))
        {
            return $"RekognitionOptions.AccountId must be 12 digits (got '{options.AccountId}').";
        }

        if (string.IsNullOrEmpty(options.Region) || !options.Region.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
        {
            return $"RekognitionOptions.Region must be lower-case letters, digits and '-' (got '{options.Region}').";
        }

        if (options.Artifacts.Provider == ArtifactsProvider.S3 && string.IsNullOrWhiteSpace(options.Artifacts.Bucket))
        {
            return "Rekognition:Artifacts:Bucket must name the bucket for the artifacts when Rekognition:Artifacts:Provider is S3.";
        }

        if (options.Artifacts.LocalCacheMaxBytes <= 0)
        {
            return $"Rekognition:Artifacts:LocalCacheMaxBytes must be positive (got {options.Artifacts.LocalCacheMaxBytes}).";
        }

        if (options.Catalog is null || (options.Catalog.Provider != CatalogProvider.Sqlite && string.IsNullOrWhiteSpace(options.Catalog.ConnectionString)))
        {
            return $"Rekognition:Catalog:ConnectionString must be set when Rekognition:Catalog:Provider is {options.Catalog?.Provider}.";
        }

        return HostFailure(options.Host);
    }

    private static string? HostFailure(RekognitionHostOptions host)
    {
        if (host is null)
        {
            return "RekognitionOptions.Host must be set.";
        }

        if (host.Id is { } id && (id.Length > 200 || id.Any(char.IsControl)))
        {
            return "RekognitionOptions.Host.Id must be at most 200 characters without control characters.";
        }

        var roles = host.RoleSet;
        if (roles.Count == 0)
        {
            return $"RekognitionOptions.Host.Roles must list one or more of {string.Join(", ", HostRoles.All)} (got '{host.Roles}').";
        }

        if (roles.FirstOrDefault(r => !HostRoles.All.Contains(r)) is { } unknown)
        {
            return $"RekognitionOptions.Host.Roles has an unknown role '{unknown}': use {string.Join(", ", HostRoles.All)}, comma-separated.";
        }

        if (host.LeaseDuration < TimeSpan.FromSeconds(1) || host.LeaseDuration > TimeSpan.FromHours(1))
        {
            return $"RekognitionOptions.Host.LeaseDuration must be between 1 second and 1 hour (got {host.LeaseDuration}).";
        }

        if (host.MaxConcurrentJobs is < 1 or > 1024)
        {
            return $"RekognitionOptions.Host.MaxConcurrentJobs must be between 1 and 1024 (got {host.MaxConcurrentJobs}).";
        }

        if (host.RetrainingCheckInterval < TimeSpan.FromSeconds(1) || host.RetrainingCheckInterval > TimeSpan.FromDays(1))
        {
            return $"RekognitionOptions.Host.RetrainingCheckInterval must be between 1 second and 1 day (got {host.RetrainingCheckInterval}).";
        }

        if (host.PollInterval < TimeSpan.FromMilliseconds(10) || host.PollInterval >= host.LeaseDuration)
        {
            return $"RekognitionOptions.Host.PollInterval must be at least 10 ms and shorter than LeaseDuration (got {host.PollInterval}).";
        }

        return null;
    }
}
