namespace Rekognition.Core.Catalog;

/// <summary>Projects in the catalog.</summary>
public interface IProjectCatalog
{
    /// <summary>Inserts a project; false when the name is taken.</summary>
    bool TryInsert(string name, string arn, long createdMs, string status, string feature, string? autoUpdate);

    /// <summary>The project with that ARN; null when there is none.</summary>
    ProjectRecord? FindByArn(string arn, ICatalogTransaction? transaction = null);

    /// <summary>The project with that row id; null when there is none.</summary>
    ProjectRecord? FindById(long id);

    /// <summary>One page of projects in creation order, after the row id <paramref name="afterId"/>.</summary>
    List<ProjectRecord> List(long afterId, int limit, IReadOnlyCollection<string>? names, IReadOnlyCollection<string>? features);

    /// <summary>Deletes the project with its policies and tags (its datasets and versions are the caller's to check first).</summary>
    void Delete(ICatalogTransaction transaction, ProjectRecord project);
}
