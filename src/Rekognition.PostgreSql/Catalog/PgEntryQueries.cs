using System.Data;
using System.Text;
using Npgsql;
using Rekognition.Core.Catalog;
using Rekognition.PostgreSql.Connections;

namespace Rekognition.PostgreSql.Catalog;

/// <summary>Reads, copies and moves dataset entries in the PostgreSQL catalog.</summary>
internal sealed class PgEntryQueries(PgDatabase database) : IEntryCatalog
{
    /// <summary>
    /// One page of entry lines in insertion order after row id <paramref name="afterId"/>, reading
    /// <paramref name="limit"/> + 1 rows so the caller knows whether another page exists. SourceRefContains is a
    /// LIKE the trigram index answers.
    /// </summary>
    public List<(long Id, string Line)> ListEntries(long datasetId, EntryFilter filter, long afterId, int limit)
    {
        ArgumentNullException.ThrowIfNull(filter);
        return database.Run(null, (connection, _) =>
        {
            using var command = connection.Command(string.Empty);
            var sql = new StringBuilder("SELECT e.id, e.line FROM entries e WHERE e.dataset_id = @ds AND e.id > @after");
            command.With("ds", datasetId).With("after", afterId);
            // Written out, not bound: the planner matches the rare side's partial index (entries_unlabeled,
            // entries_with_errors) only to a condition it can read in the statement.
            if (filter.Labeled is { } labeled)
            {
                sql.Append(labeled ? " AND e.is_labeled" : " AND NOT e.is_labeled");
            }

            if (filter.HasErrors is { } errors)
            {
                sql.Append(errors ? " AND e.has_errors" : " AND NOT e.has_errors");
            }

            if (!string.IsNullOrEmpty(filter.SourceRefContains))
            {
                sql.Append(" AND e.source_ref LIKE @contains");
                command.With("contains", "%" + EscapeLike(filter.SourceRefContains) + "%");
            }

            if (filter.ContainsLabels is { Count: > 0 } labels)
            {
                sql.Append(" AND EXISTS (SELECT 1 FROM entry_labels l WHERE l.dataset_id = @ds AND l.entry_id = e.id AND l.label = ANY(@labels))");
                command.Texts("labels", labels);
            }

            sql.Append(" ORDER BY e.id LIMIT @limit");
            command.With("limit", limit + 1);
            command.CommandText = sql.ToString();
            return command.ReadAll(r => (r.GetInt64(0), Encoding.UTF8.GetString(r.GetFieldValue<byte[]>(1))));
        });
    }

    public List<LabelCount> ListLabels(long datasetId, string? afterLabel, int limit) =>
        database.Run(null, (connection, _) =>
        {
            using var command = connection.Command(
                """
                SELECT d.label, COUNT(l.entry_id), COALESCE(SUM(CASE WHEN l.on_box THEN 1 ELSE 0 END), 0)
                FROM dataset_labels d
                LEFT JOIN entry_labels l ON l.dataset_id = d.dataset_id AND l.label = d.label
                WHERE d.dataset_id = @ds AND d.label > @after
                GROUP BY d.label ORDER BY d.label LIMIT @limit
                """).With("ds", datasetId).With("after", afterLabel ?? string.Empty).With("limit", limit + 1);
            return command.ReadAll(r => new LabelCount(r.GetString(0), (int)r.GetInt64(1), (int)r.GetInt64(2)));
        });

    /// <summary>Copies every entry, label use and declared label of one dataset into another (set-based, in the caller's transaction).</summary>
    public void CopyAll(ICatalogTransaction transaction, long fromDatasetId, long toDatasetId)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        database.Run(transaction, (connection, tx) =>
        {
            using var command = connection.Command(
                """
                INSERT INTO entries (dataset_id, source_ref, line, is_labeled, has_errors)
                SELECT @to, source_ref, line, is_labeled, has_errors FROM entries WHERE dataset_id = @from ORDER BY id;
                INSERT INTO entry_labels (dataset_id, label, entry_id, on_box)
                SELECT @to, l.label, n.id, l.on_box FROM entry_labels l
                JOIN entries o ON o.id = l.entry_id
                JOIN entries n ON n.dataset_id = @to AND n.source_ref = o.source_ref
                WHERE l.dataset_id = @from;
                INSERT INTO dataset_labels (dataset_id, label) SELECT @to, label FROM dataset_labels WHERE dataset_id = @from;
                """, tx).With("from", fromDatasetId).With("to", toDatasetId);
            command.ExecuteNonQuery();
        });
    }

    /// <summary>Writes the dataset's lines as JSON Lines in import order, streamed from the server.</summary>
    public void WriteManifest(long datasetId, Stream destination, IReadOnlySet<long>? only = null, IReadOnlySet<long>? except = null)
    {
        ArgumentNullException.ThrowIfNull(destination);
        database.Run(null, (connection, _) =>
        {
            // The server keeps only the lines asked for, so a held-out part does not cross the network with the rest.
            var sql = "SELECT line FROM entries WHERE dataset_id = @d"
                      + (only is null ? string.Empty : " AND id = ANY(@only)")
                      + (except is null ? string.Empty : " AND id <> ALL(@except)")
                      + " ORDER BY id";
            using var command = connection.Command(sql).With("d", datasetId);
            if (only is not null)
            {
                command.With("only", only.ToArray());
            }

            if (except is not null)
            {
                command.With("except", except.ToArray());
            }

            using var reader = command.ExecuteReader(CommandBehavior.SequentialAccess);
            while (reader.Read())
            {
                using var line = reader.GetStream(0);
                line.CopyTo(destination);
                destination.WriteByte((byte)'\n');
            }
        });
    }

    public List<(long Id, string[] Labels)> EntriesWithLabels(long datasetId, ICatalogTransaction? transaction = null) =>
        database.Run(transaction, (connection, tx) =>
        {
            using var command = connection.Command(
                """
                SELECT e.id, array_remove(array_agg(l.label), NULL) FROM entries e
                LEFT JOIN entry_labels l ON l.entry_id = e.id AND l.dataset_id = e.dataset_id
                WHERE e.dataset_id = @ds GROUP BY e.id ORDER BY e.id
                """, tx).With("ds", datasetId);
            return command.ReadAll(r => (r.GetInt64(0), r.GetFieldValue<string[]>(1)));
        });

    /// <summary>
    /// Moves entries with their label uses, and declares in the target the labels the moved entries carry (the target's
    /// own entries' labels are declared already), in one round trip.
    /// </summary>
    public void MoveEntries(ICatalogTransaction transaction, long fromDatasetId, long toDatasetId, IEnumerable<long> entryIds)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        var ids = entryIds.ToArray();
        database.Run(transaction, (connection, tx) =>
        {
            using var command = connection.Command(
                """
                UPDATE entry_labels SET dataset_id = @to WHERE dataset_id = @from AND entry_id = ANY(@ids);
                UPDATE entries SET dataset_id = @to WHERE dataset_id = @from AND id = ANY(@ids);
                INSERT INTO dataset_labels (dataset_id, label) SELECT DISTINCT @to, label FROM entry_labels WHERE dataset_id = @to AND entry_id = ANY(@ids) ON CONFLICT DO NOTHING;
                """, tx).With("from", fromDatasetId).With("to", toDatasetId).With("ids", ids);
            command.ExecuteNonQuery();
        });
    }

    public (string Line, long Revision)? FindEntry(long datasetId, string sourceRef) =>
        database.Run(null, (connection, _) =>
        {
            using var command = connection.Command("SELECT line, revision FROM entries WHERE dataset_id = @ds AND source_ref = @ref").With("ds", datasetId).With("ref", sourceRef);
            using var reader = command.ExecuteReader();
            return reader.Read() ? (Encoding.UTF8.GetString(reader.GetFieldValue<byte[]>(0)), reader.GetInt64(1)) : ((string, long)?)null;
        });

    public Dictionary<string, long> EntryRevisions(long datasetId, IReadOnlyCollection<string> sourceRefs, ICatalogTransaction? transaction = null)
    {
        ArgumentNullException.ThrowIfNull(sourceRefs);
        if (sourceRefs.Count == 0)
        {
            return new Dictionary<string, long>(StringComparer.Ordinal);
        }

        return database.Run(transaction, (connection, tx) =>
        {
            using var command = connection.Command("SELECT source_ref, revision FROM entries WHERE dataset_id = @ds AND source_ref = ANY(@refs)", tx)
                .With("ds", datasetId).Texts("refs", sourceRefs);
            return command.ReadAll(r => (r.GetString(0), r.GetInt64(1))).ToDictionary(e => e.Item1, e => e.Item2, StringComparer.Ordinal);
        });
    }

    public void DeclareLabel(ICatalogTransaction transaction, long datasetId, string label)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        PgDatasetLabels.Add(PgCatalogTransaction.Of(transaction), datasetId, [label]);
    }

    public bool RemoveUnusedLabel(ICatalogTransaction transaction, long datasetId, string label)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        return database.Run(transaction, (connection, tx) =>
        {
            // Removed, or already absent from the declared set: true unless an entry still uses it.
            using var command = connection.Command(
                """
                WITH removed AS (
                  DELETE FROM dataset_labels WHERE dataset_id = @ds AND label = @label
                  AND NOT EXISTS (SELECT 1 FROM entry_labels WHERE dataset_id = @ds AND label = @label)
                  RETURNING 1)
                SELECT EXISTS (SELECT 1 FROM removed) OR NOT EXISTS (SELECT 1 FROM entry_labels WHERE dataset_id = @ds AND label = @label)
                """, tx).With("ds", datasetId).With("label", label);
            return (bool)command.ExecuteScalar()!;
        });
    }

    public IEntryWriter OpenWriter(ICatalogTransaction transaction, long datasetId, bool mayReplace)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        var pg = PgCatalogTransaction.Of(transaction);
        pg.SettlePendingWrites();
        return mayReplace ? new PgEntryUpserter(pg, datasetId) : new PgEntryCopier(pg, datasetId);
    }

    private static string EscapeLike(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);
}
