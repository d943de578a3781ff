namespace Rekognition.Core.Catalog;

/// <summary>
/// A catalog provider other than the embedded SQLite one, registered by its package (Rekognition.PostgreSql's
/// <c>services.AddRekognitionPostgreSql()</c>) and chosen by <c>Rekognition:Catalog:Provider</c>.
/// </summary>
public interface ICatalogProvider
{
    /// <summary>The provider this opens.</summary>
    CatalogProvider Provider { get; }

    /// <summary>
    /// Opens (and migrates) the catalog <paramref name="options"/> describe, once per process, when the store starts.
    /// </summary>
    /// <exception cref="InvalidOperationException">The catalog cannot be reached or opened; the message says why, without secrets.</exception>
    ICatalog Open(RekognitionOptions options);
}
