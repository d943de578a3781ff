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

        return null;
    }
}
