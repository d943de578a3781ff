using Npgsql;

namespace Rekognition.PostgreSql.Tests.TestSupport;

/// <summary>
/// The PostgreSQL server the tests run on: REKOGNITION_TEST_POSTGRES, an Npgsql connection string to a database the
/// tests may create and drop schemas in. Each store gets a schema of its own (<see cref="NewSchema"/>), dropped afterwards.
/// </summary>
internal static class TestPostgres
{
    public const string Variable = "REKOGNITION_TEST_POSTGRES";

    private static readonly Lazy<string> Server = new(() =>
    {
        var value = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(value))
        {
            Assert.Fail($"{Variable} is not set: these tests need a PostgreSQL server (15 or newer, with the pg_trgm extension). " +
                        $"Start a throwaway one with `source .ci/postgres.sh` (it sets {Variable}), or set {Variable} to an Npgsql " +
                        "connection string of a database you own, e.g. Host=127.0.0.1;Port=5432;Username=me;Password=...;Database=rekognition_tests.");
        }

        // The trigram extension lives in public, shared by every test schema (each schema's search path ends with public).
        using var connection = new NpgsqlConnection(value + ";Pooling=false");
        connection.Open();
        using var command = new NpgsqlCommand("CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public", connection);
        command.ExecuteNonQuery();
        return value!;
    });

    /// <summary>The server's connection string (fails the test, saying how to start one, when it is not set).</summary>
    public static string ConnectionString => Server.Value;

    /// <summary>A connection string whose tables live in a fresh schema (created by the catalog's migration).</summary>
    public static (string Schema, string ConnectionString) NewSchema()
    {
        var schema = "rk_" + Guid.NewGuid().ToString("N");
        // The application name marks the store's connections, so a test can cut exactly those (LoseConnections).
        return (schema, new NpgsqlConnectionStringBuilder(ConnectionString) { SearchPath = $"{schema},public", ApplicationName = schema }.ConnectionString);
    }

    /// <summary>Drops a schema made by <see cref="NewSchema"/>, with everything in it.</summary>
    public static void DropSchema(string schema)
    {
        using var connection = new NpgsqlConnection(ConnectionString + ";Pooling=false");
        connection.Open();
        using var command = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE", connection);
        command.ExecuteNonQuery();
    }

    /// <summary>
    /// Ends every server process serving <paramref name="schema"/>'s connections (what a restarted or failed server does to
    /// them) and waits until they are gone.
    /// </summary>
    public static int LoseConnections(string schema)
    {
        using var connection = new NpgsqlConnection(ConnectionString + ";Pooling=false");
        connection.Open();
        using var kill = new NpgsqlCommand("SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = @s AND pid <> pg_backend_pid()", connection);
        kill.Parameters.AddWithValue("s", schema);
        var killed = Convert.ToInt32(kill.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        using var left = new NpgsqlCommand("SELECT COUNT(*) FROM pg_stat_activity WHERE application_name = @s AND pid <> pg_backend_pid()", connection);
        left.Parameters.AddWithValue("s", schema);
        for (var i = 0; i < 200 && Convert.ToInt32(left.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) > 0; i++)
        {
            Thread.Sleep(25);
        }

        return killed;
    }

    /// <summary>Runs <paramref name="sql"/> on its own connection to <paramref name="connectionString"/>.</summary>
    public static int Execute(string connectionString, string sql, params (string Name, object Value)[] parameters)
    {
        using var connection = new NpgsqlConnection(connectionString + ";Pooling=false");
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command.ExecuteNonQuery();
    }
}
