namespace Rekognition.Core.Catalog;

/// <summary>
/// Model versions in the catalog and the status of their lifecycle; every check-and-change is one statement or one
/// transaction, so several processes on one catalog never both win.
/// </summary>
public interface IVersionCatalog
{
    /// <summary>Inserts a version (inside <paramref name="transaction"/> when given); false when the project already has one with that name.</summary>
    bool TryInsert(long projectId, string name, string arn, long createdMs, string status, string? message, string? artifactKey, ProjectVersionDetails details, ICatalogTransaction? transaction = null);

    /// <summary>The version with that ARN; null when there is none.</summary>
    VersionRecord? FindByArn(string arn);

    /// <summary>One page of a project's versions, newest first, older than row id <paramref name="beforeId"/>.</summary>
    List<VersionRecord> List(long projectId, IReadOnlyCollection<string>? names, long beforeId, int limit);

    /// <summary>Moves a version from one of <paramref name="from"/> to <paramref name="target"/>; false when it was in none of them.</summary>
    bool TryTransition(long id, IReadOnlyCollection<string> from, string target, string? message, int? minUnits = null, int? maxUnits = null, bool setUnits = false);

    /// <summary>Deletes the version with its tags, in one transaction.</summary>
    void Delete(VersionRecord version);

    /// <summary>How many versions a project has.</summary>
    long CountForProject(long projectId, ICatalogTransaction? transaction = null);

    /// <summary>RUNNING or STOPPING versions that no host serves under a live lease at <paramref name="nowMs"/> become STOPPED; returns how many.</summary>
    int RecoverHosting(long nowMs);

    /// <summary>Replaces the status message of a version still in <paramref name="status"/>.</summary>
    void UpdateMessage(long id, string status, string message);

    /// <summary>Ends a training with its package key and final details.</summary>
    bool TryFinishTraining(long id, string status, string message, string? artifactKey, ProjectVersionDetails details, ICatalogTransaction? transaction = null);

    /// <summary>Trainings in progress with no job (a schema-3 process's) become TRAINING_FAILED; returns how many.</summary>
    int RecoverTraining();

    /// <summary>Records a running training's progress while it is still <paramref name="status"/>.</summary>
    void UpdateProgress(long id, string status, string message, ProjectVersionDetails details);

    /// <summary>Inserts a copy COPYING_IN_PROGRESS inside <paramref name="transaction"/> unless the name is taken or <paramref name="maxCopying"/> copies run.</summary>
    CopyInsertOutcome TryInsertCopy(ICatalogTransaction transaction, long projectId, string name, string arn, long createdMs, string message, ProjectVersionDetails details, int maxCopying);

    /// <summary>Ends a copy with its package key and details.</summary>
    bool TryFinishCopy(long id, string status, string message, string? artifactKey, ProjectVersionDetails details, ICatalogTransaction? transaction = null);

    /// <summary>Copies in progress with no job (a schema-3 process's) become COPYING_FAILED; returns how many.</summary>
    int RecoverCopying();
}
