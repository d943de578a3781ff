using Rekognition.Core.Model;

namespace Rekognition.Core.Promotion;

/// <summary>What <see cref="IModelAliasClient.PromoteProjectVersionAsync"/> should do.</summary>
public sealed class PromoteProjectVersionRequest
{
    /// <summary>The project the alias and both versions belong to.</summary>
    public string? ProjectArn { get; set; }

    /// <summary>The alias callers detect through, e.g. <c>production</c>.</summary>
    public string? AliasName { get; set; }

    /// <summary>The version to promote; it is started when it is not running.</summary>
    public string? ProjectVersionArn { get; set; }

    /// <summary>Inference units to start the new version on, when it is not running yet.</summary>
    public int MinInferenceUnits { get; set; } = 1;

    /// <summary>Most inference units for the new version; <see cref="MinInferenceUnits"/> when null.</summary>
    public int? MaxInferenceUnits { get; set; }

    /// <summary>Whether the version the alias pointed at is stopped once its requests have finished (default true).</summary>
    public bool StopPreviousVersion { get; set; } = true;
}

/// <summary>What a promotion did.</summary>
/// <param name="AliasName">The alias that moved.</param>
/// <param name="ProjectVersionArn">The version the alias points at now (RUNNING).</param>
/// <param name="PreviousProjectVersionArn">The version it pointed at before; null for a new alias.</param>
/// <param name="PreviousVersionStopped">Whether the previous version was stopped.</param>
public sealed record PromotionResult(string AliasName, string ProjectVersionArn, string? PreviousProjectVersionArn, bool PreviousVersionStopped);

/// <summary>A DetectCustomLabels answer given through an alias, with the version that gave it.</summary>
/// <param name="ProjectVersionArn">The version the alias pointed at for this request.</param>
/// <param name="Response">The version's answer.</param>
public sealed record AliasDetection(string ProjectVersionArn, DetectCustomLabelsResponse Response);
