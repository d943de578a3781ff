using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Rekognition.Core.Tests.TestSupport;

/// <summary>
/// The catalog a <see cref="TestStore"/> runs on: here the embedded SQLite file beneath the store root. The PostgreSQL
/// tests (tests/Rekognition.PostgreSql.Tests) compile the same tests with their own TestCatalog, one schema per store.
/// </summary>
internal sealed class TestCatalog : IDisposable
{
    private readonly RekognitionOptions _options;

    private TestCatalog(RekognitionOptions options) => _options = options;

    /// <summary>The provider's name in test output.</summary>
    public static string Provider => "SQLite";

    public static TestCatalog Create(RekognitionOptions options) => new(options);

    /// <summary>What the container needs for this provider (nothing: SQLite is Core's default).</summary>
    public void Register(IServiceCollection services)
    {
    }

    /// <summary>
    /// Runs a statement on the catalog directly, as another (crashed) process would have left it; <c>@name</c>
    /// parameters, SQL both providers read.
    /// </summary>
    public int Execute(string sql, params (string Name, object Value)[] parameters)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_options.StoreRoot, "catalog.db")};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue("@" + name, value);
        }

        return command.ExecuteNonQuery();
    }

    public void Dispose() => SqliteConnection.ClearAllPools();
}
