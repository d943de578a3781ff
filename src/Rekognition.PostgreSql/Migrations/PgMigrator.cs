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
    /// <summary>Applies the missing steps; false when SourceRefContains has no trigram index (pg_trgm unavailable), after trying once more to make it.</summary>
    public static bool Migrate(NpgsqlDataSource source, string? searchPath)
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

        var trigrams = HasSourceRefTrigrams(connection, transaction);
        if (!trigrams)
        {
            // pg_trgm may have been installed since: the index comes with the first start that can make it.
            using (var retry = connection.Command(PgMigrations.SourceRefTrigrams, transaction))
            {
                retry.ExecuteNonQuery();
            }

            trigrams = HasSourceRefTrigrams(connection, transaction);
        }

        transaction.Commit();
        return trigrams;
    }

    private static bool HasSourceRefTrigrams(NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        using var exists = connection.Command("SELECT to_regclass('entries_source_ref_trigrams') IS NOT NULL", transaction);
        return (bool)exists.ExecuteScalar()!;
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
