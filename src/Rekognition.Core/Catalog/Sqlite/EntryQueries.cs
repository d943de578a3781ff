using System.Text;
using Microsoft.Data.Sqlite;

namespace Rekognition.Core.Catalog.Sqlite;

/// <summary>Reads, copies and moves dataset entries.</summary>
internal sealed class EntryQueries(CatalogDatabase database) : IEntryCatalog
{
    /// <summary>
    /// One page of entry lines in insertion order after row id <paramref name="afterId"/>. Reads
    /// <paramref name="limit"/> + 1 rows so the caller knows whether another page exists.
    /// </summary>
    public List<(long Id, string Line)> ListEntries(long datasetId, EntryFilter filter, long afterId, int limit)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        var glob = string.IsNullOrEmpty(filter.SourceRefContains) ? null : SourceRefIndex.GlobFor(filter.SourceRefContains);
        var sql = new StringBuilder(glob is null
            ? "SELECT e.id, e.line FROM entries e WHERE e.dataset_id = $ds AND e.id > $after"
            // The trigram index drives, in row id order (CROSS JOIN keeps it outermost whatever else is filtered): each
            // candidate is looked up by id and checked like any row, and the scan stops when the page is full.
            : "SELECT e.id, e.line FROM entries_source_ref f CROSS JOIN entries e ON e.id = f.rowid WHERE f.source_ref GLOB $glob AND f.rowid > $after AND e.dataset_id = $ds");
        if (glob is not null)
        {
            command.Parameters.AddWithValue("$glob", glob);
        }

        command.Parameters.AddWithValue("$ds", datasetId);
        command.Parameters.AddWithValue("$after", afterId);
        if (filter.Labeled is { } labeled)
        {
            sql.Append(" AND e.is_labeled = $labeled");
            command.Parameters.AddWithValue("$labeled", labeled ? 1 : 0);
        }

        if (filter.HasErrors is { } errors)
        {
            sql.Append(" AND e.has_errors = $errors");
            command.Parameters.AddWithValue("$errors", errors ? 1 : 0);
        }

        if (!string.IsNullOrEmpty(filter.SourceRefContains))
        {
            // The rule the index narrows (and, for short parts, checked on the entries_in_order index before a row's long line is read).
            sql.Append(" AND instr(e.source_ref, $contains) > 0");
            command.Parameters.AddWithValue("$contains", filter.SourceRefContains);
        }

        if (filter.ContainsLabels is { Count: > 0 } labels)
        {
            // Driven by the entries scan in id order, each row checked by primary-key lookups: pages stay
            // cheap for common labels and the scan stops as soon as the page is full.
            sql.Append(" AND EXISTS (SELECT 1 FROM entry_labels l WHERE l.dataset_id = $ds AND l.entry_id = e.id");
            ProjectStore.AppendIn(sql, command, "l.label", "$l", labels);
            sql.Append(')');
        }

        sql.Append(glob is null ? " ORDER BY e.id LIMIT $limit" : " ORDER BY f.rowid LIMIT $limit");
        command.Parameters.AddWithValue("$limit", limit + 1);
        command.CommandText = sql.ToString();
        var result = new List<(long, string)>(Math.Min(limit + 1, 128));
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            // The line is stored as UTF-8 bytes; SQLite hands them back as text without a copy in between.
            result.Add((reader.GetInt64(0), reader.GetString(1)));
        }

        return result;
    }

    /// <summary>One page of the dataset's labels in name order with their entry and box counts.</summary>
    public List<LabelCount> ListLabels(long datasetId, string? afterLabel, int limit)
    {
        using var connection = database.Open();
        using var command = connection.Command(
            """
            SELECT d.label, COUNT(l.entry_id), COALESCE(SUM(l.on_box), 0)
            FROM dataset_labels d
            LEFT JOIN entry_labels l ON l.dataset_id = d.dataset_id AND l.label = d.label
            WHERE d.dataset_id = $ds AND d.label > $after
            GROUP BY d.label ORDER BY d.label LIMIT $limit
            """).With("$ds", datasetId).With("$after", afterLabel ?? string.Empty).With("$limit", limit + 1);
        using var reader = command.ExecuteReader();
        var result = new List<LabelCount>();
        while (reader.Read())
        {
            result.Add(new LabelCount(reader.GetString(0), reader.GetInt32(1), reader.GetInt32(2)));
        }

        return result;
    }

    /// <summary>Copies every entry, label use and declared label of one dataset into another (set-based, one transaction).</summary>
    private static void CopyAll(SqliteConnection connection, SqliteTransaction transaction, long fromDatasetId, long toDatasetId)
    {
        var lastId = SourceRefIndex.LastEntryId(connection, transaction);
        foreach (var sql in new[]
                 {
                     "INSERT INTO entries (dataset_id, source_ref, line, is_labeled, has_errors) SELECT $to, source_ref, line, is_labeled, has_errors FROM entries WHERE dataset_id = $from ORDER BY id",
                     """
                     INSERT INTO entry_labels (dataset_id, label, entry_id, on_box)
                     SELECT $to, l.label, n.id, l.on_box FROM entry_labels l
                     JOIN entries o ON o.id = l.entry_id
                     JOIN entries n ON n.dataset_id = $to AND n.source_ref = o.source_ref
                     WHERE l.dataset_id = $from
                     """,
                     "INSERT INTO dataset_labels (dataset_id, label) SELECT $to, label FROM dataset_labels WHERE dataset_id = $from",
                 })
        {
            using var command = connection.Command(sql, transaction).With("$from", fromDatasetId).With("$to", toDatasetId);
            command.ExecuteNonQuery();
        }

        SourceRefIndex.AddEntriesAfter(connection, transaction, lastId);
    }

    /// <summary>
    /// Writes the lines of a dataset's entries (all of them, or those whose row id is in <paramref name="only"/>
    /// or not in <paramref name="except"/>) as a JSON Lines manifest, in import order: the snapshot a training run reads.
    /// </summary>
    public void WriteManifest(long datasetId, Stream destination, IReadOnlySet<long>? only = null, IReadOnlySet<long>? except = null)
    {
        using var connection = database.Open();
        using var command = connection.Command("SELECT id, line FROM entries WHERE dataset_id = $d ORDER BY id").With("$d", datasetId);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var id = reader.GetInt64(0);
            if ((only is not null && !only.Contains(id)) || (except is not null && except.Contains(id)))
            {
                continue;
            }

            using var line = reader.GetStream(1);
            line.CopyTo(destination);
            destination.WriteByte((byte)'\n');
        }
    }

    /// <summary>Every entry of a dataset with the labels it carries, for splitting.</summary>
    private static List<(long Id, string[] Labels)> EntriesWithLabels(SqliteConnection connection, SqliteTransaction? transaction, long datasetId)
    {
        using var command = connection.Command(
            """
            SELECT e.id, group_concat(l.label, char(31)) FROM entries e
            LEFT JOIN entry_labels l ON l.entry_id = e.id AND l.dataset_id = e.dataset_id
            WHERE e.dataset_id = $ds GROUP BY e.id ORDER BY e.id
            """, transaction).With("$ds", datasetId);
        using var reader = command.ExecuteReader();
        var result = new List<(long, string[])>();
        while (reader.Read())
        {
            var labels = reader.IsDBNull(1) ? Array.Empty<string>() : reader.GetString(1).Split('\u001f');
            result.Add((reader.GetInt64(0), labels));
        }

        return result;
    }

    /// <summary>Moves entries (with their label uses) from one dataset to another and extends the target's label set.</summary>
    private static void MoveEntries(SqliteConnection connection, SqliteTransaction transaction, long fromDatasetId, long toDatasetId, IEnumerable<long> entryIds)
    {
        using var moveLabels = connection.Command(
            "INSERT INTO entry_labels (dataset_id, label, entry_id, on_box) SELECT $to, label, entry_id, on_box FROM entry_labels WHERE entry_id = $id AND dataset_id = $from",
            transaction).With("$to", toDatasetId).With("$from", fromDatasetId);
        var moveLabelsId = moveLabels.Parameters.Add("$id", SqliteType.Integer);
        using var dropLabels = connection.Command("DELETE FROM entry_labels WHERE entry_id = $id AND dataset_id = $from", transaction).With("$from", fromDatasetId);
        var dropLabelsId = dropLabels.Parameters.Add("$id", SqliteType.Integer);
        using var moveEntry = connection.Command("UPDATE entries SET dataset_id = $to WHERE id = $id AND dataset_id = $from", transaction)
            .With("$to", toDatasetId).With("$from", fromDatasetId);
        var moveEntryId = moveEntry.Parameters.Add("$id", SqliteType.Integer);
        foreach (var id in entryIds)
        {
            moveLabelsId.Value = id;
            moveLabels.ExecuteNonQuery();
            dropLabelsId.Value = id;
            dropLabels.ExecuteNonQuery();
            moveEntryId.Value = id;
            moveEntry.ExecuteNonQuery();
        }

        using var labels = connection.Command(
            "INSERT INTO dataset_labels (dataset_id, label) SELECT DISTINCT $to, label FROM entry_labels WHERE dataset_id = $to ON CONFLICT DO NOTHING",
            transaction).With("$to", toDatasetId);
        labels.ExecuteNonQuery();
    }

    public void CopyAll(ICatalogTransaction transaction, long fromDatasetId, long toDatasetId)
    {
        var scope = SqliteCatalogTransaction.Of(transaction);
        CopyAll(scope.Connection, scope.Transaction, fromDatasetId, toDatasetId);
    }

    public List<(long Id, string[] Labels)> EntriesWithLabels(long datasetId, ICatalogTransaction? transaction = null)
    {
        using var scope = database.Use(transaction);
        return EntriesWithLabels(scope.Connection, scope.Transaction, datasetId);
    }

    public void MoveEntries(ICatalogTransaction transaction, long fromDatasetId, long toDatasetId, IEnumerable<long> entryIds)
    {
        var scope = SqliteCatalogTransaction.Of(transaction);
        MoveEntries(scope.Connection, scope.Transaction, fromDatasetId, toDatasetId, entryIds);
    }

    public IEntryWriter OpenWriter(ICatalogTransaction transaction, long datasetId, bool mayReplace)
    {
        var scope = SqliteCatalogTransaction.Of(transaction);
        return new EntryWriter(scope.Connection, scope.Transaction, datasetId, mayReplace);
    }

    public Dictionary<string, long> EntryRevisions(long datasetId, IReadOnlyCollection<string> sourceRefs, ICatalogTransaction? transaction = null)
    {
        var result = new Dictionary<string, long>(StringComparer.Ordinal);
        if (sourceRefs.Count == 0)
        {
            return result;
        }

        using var scope = database.Use(transaction);
        using var command = scope.Connection.Command("SELECT revision FROM entries WHERE dataset_id = $ds AND source_ref = $ref", scope.Transaction).With("$ds", datasetId);
        var reference = command.Parameters.Add("$ref", SqliteType.Text);
        foreach (var sourceRef in sourceRefs)
        {
            reference.Value = sourceRef;
            if (command.ExecuteScalar() is { } revision)
            {
                result[sourceRef] = Convert.ToInt64(revision, System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return result;
    }

    public (string Line, long Revision)? FindEntry(long datasetId, string sourceRef)
    {
        using var connection = database.Open();
        using var command = connection.Command("SELECT line, revision FROM entries WHERE dataset_id = $ds AND source_ref = $ref").With("$ds", datasetId).With("$ref", sourceRef);
        using var reader = command.ExecuteReader();
        return reader.Read() ? (reader.GetString(0), reader.GetInt64(1)) : null;
    }

    public void DeclareLabel(ICatalogTransaction transaction, long datasetId, string label)
    {
        var scope = SqliteCatalogTransaction.Of(transaction);
        using var command = scope.Connection.Command("INSERT INTO dataset_labels (dataset_id, label) VALUES ($ds, $label) ON CONFLICT DO NOTHING", scope.Transaction)
            .With("$ds", datasetId).With("$label", label);
        command.ExecuteNonQuery();
    }

    public bool RemoveUnusedLabel(ICatalogTransaction transaction, long datasetId, string label)
    {
        var scope = SqliteCatalogTransaction.Of(transaction);
        using var command = scope.Connection.Command(
            "DELETE FROM dataset_labels WHERE dataset_id = $ds AND label = $label AND NOT EXISTS (SELECT 1 FROM entry_labels WHERE dataset_id = $ds AND label = $label)",
            scope.Transaction).With("$ds", datasetId).With("$label", label);
        if (command.ExecuteNonQuery() > 0)
        {
            return true;
        }

        using var used = scope.Connection.Command("SELECT COUNT(*) FROM entry_labels WHERE dataset_id = $ds AND label = $label", scope.Transaction)
            .With("$ds", datasetId).With("$label", label);
        return used.Scalar() == 0; // not declared and not used: already gone
    }
}
