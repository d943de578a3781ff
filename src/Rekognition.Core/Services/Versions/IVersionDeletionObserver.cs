namespace Rekognition.Core.Services.Versions;

/// <summary>Told when DeleteProjectVersion has removed a version, so what is kept in memory for it can go.</summary>
internal interface IVersionDeletionObserver
{
    /// <summary>The version <paramref name="versionArn"/> was deleted; must not throw or block.</summary>
    void VersionDeleted(string versionArn);
}
