using Npgsql;
using Rekognition.PostgreSql.Connections;

namespace Rekognition.PostgreSql.Migrations;

/// <summary>
/// Brings the catalog's schema to the newest <see cref="PgMigrations"/> step at start-up. Hosts starting together
/// take turns: the whole migration is one transaction holding an advisory lock (per database and search path), so the
/// second host waits, then finds the steps applied and does nothing.
/// </summary>
internal static class PgMigrator
{
    public static void Migrate(NpgsqlDataSource source, string? searchPath)
    {
        using var connection = source.OpenConnection();
        using var transaction = connection.BeginTransaction();
        using (var lockCommand = connection.Command("SELECT pg_advisory_xact_lock(hashtext('rekognition-catalog-migrations:' || @scope))", transaction)
                   .With("scope", searchPath ?? string.Empty))
        {
            lockCommand.ExecuteNonQuery();
        }

        CreateSchemaIfNamed(connection, transaction, searchPath);
        using (var table = connection.Command(
                   "CREATE TABLE IF NOT EXISTS rekognition_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())",
                   transaction))
        {
            table.ExecuteNonQuery();
        }

        long current;
        using (var version = connection.Command("SELECT COALESCE(MAX(version), 0) FROM rekognition_migrations", transaction))
        {
            current = version.Scalar();
        }

        foreach (var (number, name, sql) in PgMigrations.Steps.Where(s => s.Version > current))
        {
            using (var step = connection.Command(sql, transaction))
            {
                step.ExecuteNonQuery();
            }

            using var record = connection.Command("INSERT INTO rekognition_migrations (version, name) VALUES (@v, @n)", transaction)
                .With("v", number).With("n", name);
            record.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    // A search path naming a schema that does not exist yet (a fresh deployment, a test's own schema): made here, so
    // the tables land in it rather than failing with "no schema has been selected".
    private static void CreateSchemaIfNamed(NpgsqlConnection connection, NpgsqlTransaction transaction, string? searchPath)
    {
        var first = searchPath?.Split(',')[0].Trim().Trim('"');
        if (string.IsNullOrEmpty(first) || first.StartsWith('$'))
        {
            return;
        }

        using var quote = connection.Command("SELECT quote_ident(@s)", transaction).With("s", first);
        var quoted = (string)quote.ExecuteScalar()!;
        using var create = connection.Command($"CREATE SCHEMA IF NOT EXISTS {quoted}", transaction);
        create.ExecuteNonQuery();
    }
}
