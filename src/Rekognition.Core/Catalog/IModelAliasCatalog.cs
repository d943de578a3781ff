namespace Rekognition.Core.Catalog;

/// <summary>
/// Model aliases: a name in a project that points at one of its versions, with a count of the requests each version
/// serves through an alias right now, so a promotion can wait for the old version's requests before stopping it.
/// Aliases are kept in the catalog; the request counts are this process's own (other hosts report theirs through
/// <see cref="IServingCatalog.RequestDrain"/>).
/// </summary>
public interface IModelAliasCatalog
{
    /// <summary>The version the alias points at; null when there is no such alias.</summary>
    string? Resolve(long projectId, string name);

    /// <summary>Points the alias at <paramref name="versionArn"/> (stored first, then visible to requests) and returns the version it pointed at before.</summary>
    string? Point(long projectId, string name, string versionArn, long nowMs);

    /// <summary>Removes the alias; nothing when there is none.</summary>
    void Delete(long projectId, string name);

    /// <summary>Resolves the alias and counts a request on its version (ended by <see cref="Leave"/>); null when there is no such alias.</summary>
    string? Enter(long projectId, string name);

    /// <summary>Ends a request counted by <see cref="Enter"/>.</summary>
    void Leave(string versionArn);

    /// <summary>Requests served through aliases by a version right now, on this host.</summary>
    int InFlightOn(string versionArn);

    /// <summary>
    /// Reads the stored aliases again now, so this host follows an alias another host moved; false when that could not
    /// be done now (try again later).
    /// </summary>
    bool Refresh();

    /// <summary>
    /// Another host changed an alias (the catalog's change feed said so): the next request here reads the stored aliases
    /// again instead of trusting what it read until it is old.
    /// </summary>
    void MarkStale();

    /// <summary>How many aliases point at <paramref name="versionArn"/>.</summary>
    long CountPointingAt(string versionArn);
}
