namespace Rekognition.Core.Catalog;

/// <summary>Project policies: the latest revision of each named policy of a project.</summary>
internal interface IPolicyCatalog
{
    PolicyRecord? Find(ICatalogTransaction? transaction, long projectId, string name);

    int Count(ICatalogTransaction? transaction, long projectId);

    void Upsert(ICatalogTransaction transaction, long projectId, PolicyRecord policy);

    void Delete(ICatalogTransaction transaction, long projectId, string name);

    /// <summary>Up to <paramref name="limit"/> + 1 policies by name after <paramref name="afterName"/> (the extra one says a page follows).</summary>
    List<PolicyRecord> List(long projectId, string? afterName, int limit);
}
