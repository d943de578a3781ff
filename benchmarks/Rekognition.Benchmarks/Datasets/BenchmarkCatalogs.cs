using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Rekognition.Core;

namespace Rekognition.Benchmarks.Datasets;

/// <summary>
/// A client on the catalog provider a benchmark case names: SQLite beneath the store root, or a fresh schema of the
/// PostgreSQL server REKOGNITION_TEST_POSTGRES names (`source .ci/postgres.sh` starts one), dropped afterwards.
/// </summary>
internal sealed class BenchmarkCatalog : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly string? _schema;

    private BenchmarkCatalog(ServiceProvider services, string? schema)
    {
        _services = services;
        _schema = schema;
        Client = services.GetRequiredService<RekognitionCustomLabelsClient>();
    }

    public RekognitionCustomLabelsClient Client { get; }

    public static BenchmarkCatalog Open(CatalogProvider provider, string storeRoot, string bucketsRoot)
    {
        string? schema = null;
        string? connectionString = null;
        if (provider == CatalogProvider.PostgreSQL)
        {
            var server = Environment.GetEnvironmentVariable("REKOGNITION_TEST_POSTGRES")
                         ?? throw new InvalidOperationException("REKOGNITION_TEST_POSTGRES is not set: start a PostgreSQL with `source .ci/postgres.sh` first.");
            schema = "rk_bench_" + Guid.NewGuid().ToString("N");
            using (var connection = new NpgsqlConnection(server + ";Pooling=false"))
            {
                connection.Open();
                using var extension = new NpgsqlCommand("CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public", connection);
                extension.ExecuteNonQuery();
            }

            connectionString = new NpgsqlConnectionStringBuilder(server) { SearchPath = $"{schema},public" }.ConnectionString;
        }

        var services = new ServiceCollection()
            .AddRekognitionPostgreSql()
            .AddRekognitionCustomLabels(o =>
            {
                o.StoreRoot = storeRoot;
                o.BucketsRoot = bucketsRoot;
                o.CheckImages = false;
                o.Catalog.Provider = provider;
                o.Catalog.ConnectionString = connectionString;
            })
            .BuildServiceProvider();
        return new BenchmarkCatalog(services, schema);
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (_schema is not null)
        {
            await using var connection = new NpgsqlConnection(Environment.GetEnvironmentVariable("REKOGNITION_TEST_POSTGRES") + ";Pooling=false");
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{_schema}\" CASCADE", connection);
            await drop.ExecuteNonQueryAsync();
        }
    }
}
