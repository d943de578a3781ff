using Npgsql;
using NpgsqlTypes;
using Rekognition.Core.Catalog;
using Rekognition.PostgreSql.Connections;

namespace Rekognition.PostgreSql.Catalog;

/// <summary>
/// Writes a new dataset's entries (distinct source-refs, nothing to replace) with binary COPY, the fastest way rows
/// enter PostgreSQL. Row ids are taken from the entries' identity sequence in blocks before the rows are streamed,
/// so <see cref="WriteEntry"/> can return them while the stream runs: the sequence steps by a block (migration 9), so
/// one nextval reserves the block it starts; label uses are gathered in memory (deduplicated, a box use wins) and copied
/// after the entries. Everything is inside the caller's transaction: a rollback, or a lost connection, keeps none of it.
/// </summary>
internal sealed class PgEntryCopier : IEntryWriter, IPendingWrites
{

    /// <summary>Rows copied from which the tables are analysed before the import commits.</summary>
    private const int AnalyzeFrom = 10_000;

    private readonly PgCatalogTransaction _transaction;
    private readonly long _datasetId;
    private readonly Queue<long> _ids = new();
    private readonly Dictionary<(long Entry, string Label), bool> _uses = new();
    private readonly HashSet<string> _labels = new(StringComparer.Ordinal);
    private NpgsqlBinaryImporter? _entries;
    private long _written;

    public PgEntryCopier(PgCatalogTransaction transaction, long datasetId)
    {
        _transaction = transaction;
        _datasetId = datasetId;
    }

    public long WriteEntry(string sourceRef, ReadOnlyMemory<byte> line, bool isLabeled, bool hasErrors)
    {
        try
        {
            if (_ids.Count == 0)
            {
                Flush();
                ReserveIds();
            }

            var id = _ids.Dequeue();
            _entries ??= StartEntries();
            _entries.StartRow();
            _entries.Write(id, NpgsqlDbType.Bigint);
            _entries.Write(_datasetId, NpgsqlDbType.Bigint);
            _entries.Write(sourceRef, NpgsqlDbType.Text);
            _entries.Write(line, NpgsqlDbType.Bytea);
            _entries.Write(isLabeled, NpgsqlDbType.Boolean);
            _entries.Write(hasErrors, NpgsqlDbType.Boolean);
            _written++;
            return id;
        }
        catch (Exception ex) when (PgDatabase.IsDatabaseFailure(ex))
        {
            throw PgDatabase.Lost(ex);
        }
    }

    public void WriteLabel(long entryId, string label, bool onBoundingBox)
    {
        ref var onBox = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_uses, (entryId, label), out _);
        onBox |= onBoundingBox;
        _labels.Add(label);
    }

    public void Complete()
    {
        try
        {
            Flush();
            if (_uses.Count > 0)
            {
                using var importer = _transaction.Connection.BeginBinaryImport("COPY entry_labels (dataset_id, label, entry_id, on_box) FROM STDIN (FORMAT BINARY)");
                // In key order (label, then entry): the primary key's b-tree then grows at its right edge, a fifth cheaper
                // than the entries' order, which jumps between the labels' ranges.
                foreach (var ((entry, label), onBox) in _uses.OrderBy(u => u.Key.Label, StringComparer.Ordinal).ThenBy(u => u.Key.Entry))
                {
                    importer.StartRow();
                    importer.Write(_datasetId, NpgsqlDbType.Bigint);
                    importer.Write(label, NpgsqlDbType.Text);
                    importer.Write(entry, NpgsqlDbType.Bigint);
                    importer.Write(onBox, NpgsqlDbType.Boolean);
                }

                importer.Complete();
            }

            if (_written >= AnalyzeFrom)
            {
                // A bulk import leaves the planner without statistics until autovacuum comes by (a minute or more): it then
                // takes the tables for empty and hashes every use of a common label to fill one ContainsLabels page (2.8 s
                // at 250,000 entries instead of milliseconds). Analysed here, in the import's transaction (own rows count
                // as live), the statistics arrive with the rows.
                using var analyze = _transaction.Connection.Command("ANALYZE entries, entry_labels", _transaction.Transaction);
                analyze.ExecuteNonQuery();

                // The trigram index takes COPY's rows into its pending list (up to 4 MB), which every SourceRefContains then
                // reads whole until autovacuum comes by: merged into the index here, a one-image search reads a few pages.
                using var merge = _transaction.Connection.Command(
                    "SELECT gin_clean_pending_list(i) FROM to_regclass('entries_source_ref_trigrams') AS i WHERE i IS NOT NULL", _transaction.Transaction);
                merge.ExecuteNonQuery();
            }
        }
        catch (Exception ex) when (PgDatabase.IsDatabaseFailure(ex))
        {
            throw PgDatabase.Lost(ex);
        }

        PgDatasetLabels.Add(_transaction, _datasetId, _labels);
    }

    /// <summary>Ends the entries' COPY, keeping its rows in the transaction.</summary>
    public void Flush()
    {
        if (_entries is null)
        {
            return;
        }

        var entries = _entries;
        _entries = null;
        _transaction.End(this);
        entries.Complete();
        entries.Dispose();
    }

    /// <summary>Ends the entries' COPY, dropping its rows.</summary>
    public void Cancel()
    {
        var entries = _entries;
        _entries = null;
        _transaction.End(this);
        try
        {
            entries?.Dispose(); // without Complete: the server discards the COPY
        }
        catch (Exception ex) when (PgDatabase.IsDatabaseFailure(ex))
        {
            // The connection is gone or broken; the transaction is lost with it.
        }
    }

    public void Dispose() => Cancel();

    private NpgsqlBinaryImporter StartEntries()
    {
        var importer = _transaction.Connection.BeginBinaryImport(
            "COPY entries (id, dataset_id, source_ref, line, is_labeled, has_errors) FROM STDIN (FORMAT BINARY)");
        _transaction.Begin(this);
        return importer;
    }

    // Ids in increasing order, so the entries keep their import order (a page, a manifest) as the SQLite catalog's do.
    // The block is the sequence's step (one nextval each, rather than a nextval per id: a fifth of a second per 50,000).
    private void ReserveIds()
    {
        using var command = _transaction.Connection.Command(
            """
            SELECT nextval(q.s), p.seqincrement FROM (SELECT pg_get_serial_sequence('entries', 'id')::regclass AS s) q
            JOIN pg_sequence p ON p.seqrelid = q.s
            """, _transaction.Transaction);
        var (first, count) = command.ReadAll(r => (r.GetInt64(0), r.GetInt64(1))).Single();
        for (var id = first; id < first + count; id++)
        {
            _ids.Enqueue(id);
        }
    }
}
