using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Rekognition.Core.Catalog.Sqlite;

/// <summary>
/// Writes dataset entries inside one caller-owned transaction with prepared statements reused for
/// every row (the cost of an import is then SQLite's, not statement compilation's). An entry whose
/// <c>source-ref</c> already exists in the dataset is replaced, as UpdateDatasetEntries does.
/// </summary>
/// <remarks>
/// The per-row statements run on the connection's handle directly (bound by position, stepped, reset): a
/// <see cref="SqliteCommand"/> execution allocates a data reader, the parameter names and a copy of every value
/// for each row, which for a quarter-million-line import was most of the catalog side's garbage.
/// They share the connection, and so the caller's transaction.
/// A new dataset's rows are plain INSERTs: an upsert with RETURNING runs as a statement that may abort after writing
/// (RETURNING is a trigger), so SQLite copies every page it touches into a statement journal first, and once that
/// journal outgrew memory in a quarter-million-line transaction it was a temporary file written twice per page.
/// </remarks>
internal sealed class EntryWriter : IEntryWriter
{
    private readonly long _datasetId;
    private readonly bool _mayReplace;
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _insert;
    private readonly sqlite3_stmt _clearLabels;
    private readonly sqlite3_stmt _addLabel;
    private readonly HashSet<string> _labels = new(StringComparer.Ordinal);
    private readonly long _lastIdBefore;

    // mayReplace: false when the dataset is new and its lines are known distinct: a plain insert, no old labels to clear.
    public EntryWriter(SqliteConnection connection, SqliteTransaction transaction, long datasetId, bool mayReplace)
    {
        _datasetId = datasetId;
        _mayReplace = mayReplace;
        Transaction = transaction;
        Connection = connection;
        _db = connection.Handle ?? throw new InvalidOperationException("The catalog connection is not open.");
        _lastIdBefore = SourceRefIndex.LastEntryId(connection, transaction);
        _insert = Prepare(mayReplace
            ? """
              INSERT INTO entries (dataset_id, source_ref, line, is_labeled, has_errors) VALUES (?1, ?2, ?3, ?4, ?5)
              ON CONFLICT(dataset_id, source_ref) DO UPDATE SET line = excluded.line, is_labeled = excluded.is_labeled, has_errors = excluded.has_errors,
                  revision = entries.revision + 1
              RETURNING id
              """
            : "INSERT INTO entries (dataset_id, source_ref, line, is_labeled, has_errors) VALUES (?1, ?2, ?3, ?4, ?5)");
        _clearLabels = Prepare("DELETE FROM entry_labels WHERE entry_id = ?1");
        _addLabel = Prepare(
            "INSERT INTO entry_labels (dataset_id, label, entry_id, on_box) VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO UPDATE SET on_box = max(on_box, excluded.on_box)");

        // The dataset is the same for every row, and a reset keeps bindings: bound once here, not per row.
        Check(raw.sqlite3_bind_int64(_insert, 1, datasetId), _insert);
        Check(raw.sqlite3_bind_int64(_addLabel, 1, datasetId), _addLabel);
    }

    private SqliteConnection Connection { get; }

    private SqliteTransaction Transaction { get; }

    /// <summary>Labels written so far; <see cref="Complete"/> adds them to the dataset's label set.</summary>
    public IReadOnlyCollection<string> Labels => _labels;

    /// <summary>Writes (or replaces) one entry and returns its row id.</summary>
    public long WriteEntry(string sourceRef, ReadOnlyMemory<byte> line, bool isLabeled, bool hasErrors)
    {
        Check(raw.sqlite3_bind_text(_insert, 2, sourceRef), _insert);
        Check(raw.sqlite3_bind_blob(_insert, 3, line.Span), _insert);
        Check(raw.sqlite3_bind_int(_insert, 4, isLabeled ? 1 : 0), _insert);
        Check(raw.sqlite3_bind_int(_insert, 5, hasErrors ? 1 : 0), _insert);
        if (!_mayReplace)
        {
            // A repeated source-ref fails on the unique index (SqliteException) rather than replacing silently.
            Run(_insert);
            return raw.sqlite3_last_insert_rowid(_db);
        }

        var rc = raw.sqlite3_step(_insert);
        if (rc != raw.SQLITE_ROW)
        {
            Fail(rc, _insert);
        }

        var id = raw.sqlite3_column_int64(_insert, 0);
        Run(_insert);
        Check(raw.sqlite3_bind_int64(_clearLabels, 1, id), _clearLabels);
        Run(_clearLabels);
        return id;
    }

    /// <summary>Records that entry <paramref name="entryId"/> carries <paramref name="label"/>.</summary>
    public void WriteLabel(long entryId, string label, bool onBoundingBox)
    {
        Check(raw.sqlite3_bind_text(_addLabel, 2, label), _addLabel);
        Check(raw.sqlite3_bind_int64(_addLabel, 3, entryId), _addLabel);
        Check(raw.sqlite3_bind_int(_addLabel, 4, onBoundingBox ? 1 : 0), _addLabel);
        Run(_addLabel);
        _labels.Add(label);
    }

    /// <summary>Adds the labels seen to the dataset's declared label set and the new entries to the source-ref index.</summary>
    public void Complete()
    {
        // A replaced entry keeps its row and source-ref: only rows inserted by this writer are new to the index.
        SourceRefIndex.AddEntriesAfter(Connection, Transaction, _lastIdBefore);
        using var command = Connection.Command("INSERT INTO dataset_labels (dataset_id, label) VALUES ($ds, $label) ON CONFLICT DO NOTHING", Transaction);
        command.Parameters.AddWithValue("$ds", _datasetId);
        var label = command.Parameters.Add("$label", SqliteType.Text);
        foreach (var name in _labels)
        {
            label.Value = name;
            command.ExecuteNonQuery();
        }
    }

    public void Dispose()
    {
        _insert.Dispose();
        _clearLabels.Dispose();
        _addLabel.Dispose();
    }

    private sqlite3_stmt Prepare(string sql)
    {
        var rc = raw.sqlite3_prepare_v2(_db, sql, out var statement);
        if (rc != raw.SQLITE_OK)
        {
            statement?.Dispose();
            SqliteException.ThrowExceptionForRC(rc, _db);
        }

        return statement ?? throw new InvalidOperationException("SQLite prepared no statement.");
    }

    // Steps the statement to its end and resets it for the next row (the reset keeps the bindings: the dataset's stays, the rest are rebound).
    private void Run(sqlite3_stmt statement)
    {
        int rc;
        while ((rc = raw.sqlite3_step(statement)) == raw.SQLITE_ROW)
        {
        }

        if (rc != raw.SQLITE_DONE)
        {
            Fail(rc, statement);
        }

        raw.sqlite3_reset(statement);
    }

    private void Check(int rc, sqlite3_stmt statement)
    {
        if (rc != raw.SQLITE_OK)
        {
            Fail(rc, statement);
        }
    }

    // The error is the connection's (SqliteException, as a command's would be); the statement is left reusable.
    private void Fail(int rc, sqlite3_stmt statement)
    {
        raw.sqlite3_reset(statement);
        SqliteException.ThrowExceptionForRC(rc, _db);
        throw new InvalidOperationException($"SQLite error {rc}.");
    }
}
