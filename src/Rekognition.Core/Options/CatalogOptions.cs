namespace Rekognition.Core;

/// <summary>
/// Which catalog the store keeps its projects, datasets and versions in: the <c>Rekognition:Catalog</c> section
/// (<c>Rekognition__Catalog__Provider=PostgreSQL</c> and <c>Rekognition__Catalog__ConnectionString=...</c> in the environment).
/// </summary>
public sealed class CatalogOptions
{
    /// <summary>The catalog provider. Default: <see cref="CatalogProvider.Sqlite"/>, a file beneath the store root.</summary>
    public CatalogProvider Provider { get; set; } = CatalogProvider.Sqlite;

    /// <summary>The provider's connection string (Npgsql syntax for PostgreSQL); unused by SQLite.</summary>
    public string? ConnectionString { get; set; }
}

/// <summary>The catalog providers.</summary>
public enum CatalogProvider
{
    /// <summary>The embedded catalog: one SQLite file beneath the store root (Rekognition.Core).</summary>
    Sqlite,

    /// <summary>A PostgreSQL database shared by every host (the Rekognition.PostgreSql package, <c>services.AddRekognitionPostgreSql()</c>).</summary>
    PostgreSQL,
}
