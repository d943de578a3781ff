namespace Rekognition.Core.Catalog;

/// <summary>Project policies: the latest revision of each named policy of a project.</summary>
public interface IPolicyCatalog
{
    /// <summary>The policy of that name; null when there is none.</summary>
    PolicyRecord? Find(ICatalogTransaction? transaction, long projectId, string name);

    /// <summary>How many policies the project has.</summary>
    int Count(ICatalogTransaction? transaction, long projectId);

    /// <summary>Adds the policy, or replaces the revision and document of the one of that name (keeping its creation time).</summary>
    void Upsert(ICatalogTransaction transaction, long projectId, PolicyRecord policy);

    /// <summary>Removes the policy of that name; nothing when there is none.</summary>
    void Delete(ICatalogTransaction transaction, long projectId, string name);

    /// <summary>Up to <paramref name="limit"/> + 1 policies by name after <paramref name="afterName"/> (the extra one says a page follows).</summary>
    List<PolicyRecord> List(long projectId, string? afterName, int limit);
}
