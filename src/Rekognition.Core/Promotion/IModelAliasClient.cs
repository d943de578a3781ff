using Rekognition.Core.Model;

namespace Rekognition.Core.Promotion;

/// <summary>
/// Model aliases and promotion without downtime (not service operations): callers detect through a named alias; a
/// promotion starts the new version, moves the alias, lets the old version's requests finish and stops it, so no
/// request fails during the switch. Registered by AddRekognitionCustomLabels.
/// </summary>
public interface IModelAliasClient
{
    /// <summary>Points a project's alias at one of its versions (creating the alias if needed). The version need not run yet.</summary>
    /// <exception cref="InvalidParameterException">The version belongs to another project, or the name is not valid.</exception>
    Task PutModelAliasAsync(string projectArn, string aliasName, string projectVersionArn, CancellationToken cancellationToken = default);

    /// <summary>The version a project's alias points at.</summary>
    /// <exception cref="ResourceNotFoundException">The project has no such alias.</exception>
    Task<string> GetModelAliasAsync(string projectArn, string aliasName, CancellationToken cancellationToken = default);

    /// <summary>Removes a project's alias; the version it pointed at is left as it is.</summary>
    Task DeleteModelAliasAsync(string projectArn, string aliasName, CancellationToken cancellationToken = default);

    /// <summary>
    /// DetectCustomLabels on the version a project's alias points at (the request's ProjectVersionArn is not used).
    /// A request that started on a version finishes there even if a promotion moves the alias meanwhile.
    /// </summary>
    Task<AliasDetection> DetectCustomLabelsWithAliasAsync(string projectArn, string aliasName, DetectCustomLabelsRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Moves an alias to a new version without downtime: starts the new version (unless it runs) and waits for
    /// RUNNING, points the alias at it, waits for the requests still running on the old version, then stops the
    /// old one. If the new version cannot start, the alias is left where it was.
    /// </summary>
    /// <exception cref="ResourceNotReadyException">The new version could not be started (its StatusMessage says why).</exception>
    Task<PromotionResult> PromoteProjectVersionAsync(PromoteProjectVersionRequest request, CancellationToken cancellationToken = default);
}
