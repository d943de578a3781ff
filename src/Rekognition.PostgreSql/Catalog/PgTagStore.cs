using Npgsql;
using Rekognition.Core.Catalog;
using Rekognition.PostgreSql.Connections;

namespace Rekognition.PostgreSql.Catalog;

/// <summary>Tags of any resource in the PostgreSQL catalog, keyed by its ARN.</summary>
internal sealed class PgTagStore(PgDatabase database) : ITagCatalog
{
    public Dictionary<string, string> List(string resourceArn) => database.Run(null, (connection, _) => List(connection, null, resourceArn));

    /// <summary>
    /// Adds or overwrites tags unless the total would exceed <paramref name="maxTags"/>. A transaction-scoped advisory
    /// lock on the ARN makes the count and the writes one check-and-change across hosts.
    /// </summary>
    public bool TryPut(string resourceArn, IReadOnlyDictionary<string, string> tags, int maxTags, ICatalogTransaction? transaction = null)
    {
        ArgumentNullException.ThrowIfNull(tags);
        return database.InTransaction(transaction, (connection, tx) =>
        {
            LockResource(connection, tx, resourceArn);
            var existing = List(connection, tx, resourceArn);
            if (existing.Count + tags.Keys.Count(k => !existing.ContainsKey(k)) > maxTags)
            {
                return false;
            }

            using var command = connection.Command(
                """
                INSERT INTO tags (resource_arn, key, value) SELECT @arn, k, v FROM unnest(@keys, @values) AS t(k, v)
                ON CONFLICT (resource_arn, key) DO UPDATE SET value = excluded.value
                """, tx).With("arn", resourceArn).Texts("keys", tags.Keys).Texts("values", tags.Values);
            command.ExecuteNonQuery();
            return true;
        });
    }

    public void Remove(string resourceArn, IEnumerable<string> keys) =>
        database.Run(null, (connection, _) =>
        {
            using var command = connection.Command("DELETE FROM tags WHERE resource_arn = @arn AND key = ANY(@keys)").With("arn", resourceArn).Texts("keys", keys);
            command.ExecuteNonQuery();
        });

    private static void LockResource(NpgsqlConnection connection, NpgsqlTransaction tx, string resourceArn)
    {
        using var command = connection.Command("SELECT pg_advisory_xact_lock(hashtext('rekognition-tags:' || @arn))", tx).With("arn", resourceArn);
        command.ExecuteNonQuery();
    }

    private static Dictionary<string, string> List(NpgsqlConnection connection, NpgsqlTransaction? transaction, string resourceArn)
    {
        using var command = connection.Command("SELECT key, value FROM tags WHERE resource_arn = @arn ORDER BY key", transaction).With("arn", resourceArn);
        using var reader = command.ExecuteReader();
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        while (reader.Read())
        {
            result[reader.GetString(0)] = reader.GetString(1);
        }

        return result;
    }
}
