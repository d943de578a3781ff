using Microsoft.Extensions.DependencyInjection;
using Rekognition.PostgreSql.Tests.TestSupport;

namespace Rekognition.Core.Tests.TestSupport;

/// <summary>
/// The catalog a <see cref="TestStore"/> runs on in this project: a fresh PostgreSQL schema (REKOGNITION_TEST_POSTGRES),
/// migrated when the store opens and dropped when it is disposed. Replaces Rekognition.Core.Tests' SQLite TestCatalog.
/// </summary>
internal sealed class TestCatalog : IDisposable
{
    private readonly string _schema;
    private readonly string _connectionString;

    private TestCatalog(string schema, string connectionString)
    {
        _schema = schema;
        _connectionString = connectionString;
    }

    /// <summary>The provider's name in test output.</summary>
    public static string Provider => "PostgreSQL";

    public static TestCatalog Create(RekognitionOptions options)
    {
        var (schema, connectionString) = TestPostgres.NewSchema();
        options.Catalog.Provider = CatalogProvider.PostgreSQL;
        options.Catalog.ConnectionString = connectionString;
        return new TestCatalog(schema, connectionString);
    }

    public void Register(IServiceCollection services) => services.AddRekognitionPostgreSql();

    /// <summary>Runs a statement on the catalog directly, as another (crashed) process would have left it.</summary>
    public int Execute(string sql, params (string Name, object Value)[] parameters) => TestPostgres.Execute(_connectionString, sql, parameters);

    public void Dispose() => TestPostgres.DropSchema(_schema);
}
