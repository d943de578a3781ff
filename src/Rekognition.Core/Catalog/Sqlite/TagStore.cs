using Microsoft.Data.Sqlite;

namespace Rekognition.Core.Catalog.Sqlite;

/// <summary>Tags of any resource, keyed by its ARN.</summary>
internal sealed class TagStore(CatalogDatabase database) : ITagCatalog
{
    public Dictionary<string, string> List(string resourceArn)
    {
        using var connection = database.Open();
        return List(connection, null, resourceArn);
    }

    /// <summary>Adds or overwrites tags; fails (returns false, nothing written) when the total would exceed <paramref name="maxTags"/>.</summary>
    public bool TryPut(string resourceArn, IReadOnlyDictionary<string, string> tags, int maxTags, ICatalogTransaction? transaction = null)
    {
        if (transaction is not null)
        {
            var (connection, sqlite) = SqliteCatalogTransaction.Of(transaction);
            return TryPut(connection, sqlite, resourceArn, tags, maxTags);
        }

        using var own = database.BeginTransaction();
        if (!TryPut(own.Connection, own.Transaction, resourceArn, tags, maxTags))
        {
            return false;
        }

        own.Commit();
        return true;
    }

    private static bool TryPut(SqliteConnection connection, SqliteTransaction transaction, string resourceArn, IReadOnlyDictionary<string, string> tags, int maxTags)
    {
        var existing = List(connection, transaction, resourceArn);
        var total = existing.Count + tags.Keys.Count(k => !existing.ContainsKey(k));
        if (total > maxTags)
        {
            return false;
        }

        using var command = connection.Command(
            "INSERT INTO tags (resource_arn, key, value) VALUES ($arn, $key, $value) ON CONFLICT(resource_arn, key) DO UPDATE SET value = excluded.value",
            transaction).With("$arn", resourceArn);
        var key = command.Parameters.Add("$key", SqliteType.Text);
        var value = command.Parameters.Add("$value", SqliteType.Text);
        foreach (var (k, v) in tags)
        {
            key.Value = k;
            value.Value = v;
            command.ExecuteNonQuery();
        }

        return true;
    }

    public void Remove(string resourceArn, IEnumerable<string> keys)
    {
        using var connection = database.Open();
        using var transaction = connection.BeginTransaction();
        using var command = connection.Command("DELETE FROM tags WHERE resource_arn = $arn AND key = $key", transaction).With("$arn", resourceArn);
        var key = command.Parameters.Add("$key", SqliteType.Text);
        foreach (var k in keys)
        {
            key.Value = k;
            command.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    private static Dictionary<string, string> List(SqliteConnection connection, SqliteTransaction? transaction, string resourceArn)
    {
        using var command = connection.Command("SELECT key, value FROM tags WHERE resource_arn = $arn ORDER BY key", transaction).With("$arn", resourceArn);
        using var reader = command.ExecuteReader();
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        while (reader.Read())
        {
            result[reader.GetString(0)] = reader.GetString(1);
        }

        return result;
    }
}
