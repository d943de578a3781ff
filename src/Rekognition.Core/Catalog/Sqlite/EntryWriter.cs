using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;

namespace Rekognition.Core.Catalog.Sqlite;

/// <summary>
/// Writes dataset entries inside one caller-owned transaction with prepared statements reused for
/// every row (the cost of an import is then SQLite's, not statement compilation's). An entry whose
/// <c>source-ref</c> already exists in the dataset is replaced, as UpdateDatasetEntries does.
/// </summary>
internal sealed class EntryWriter : IEntryWriter
{
    private readonly long _datasetId;
    private readonly bool _mayReplace;
    private readonly SqliteCommand _upsert;
    private readonly SqliteParameter _sourceRef;
    private readonly SqliteParameter _line;
    private readonly SqliteParameter _labeled;
    private readonly SqliteParameter _errors;
    private readonly SqliteCommand _clearLabels;
    private readonly SqliteParameter _clearEntry;
    private readonly SqliteCommand _addLabel;
    private readonly SqliteParameter _labelName;
    private readonly SqliteParameter _labelEntry;
    private readonly SqliteParameter _labelOnBox;
    private readonly HashSet<string> _labels = new(StringComparer.Ordinal);
    private readonly long _lastIdBefore;

    // mayReplace: false when the dataset is new and its lines are known distinct, which skips clearing old labels.
    public EntryWriter(SqliteConnection connection, SqliteTransaction transaction, long datasetId, bool mayReplace)
    {
        _datasetId = datasetId;
        _mayReplace = mayReplace;
        _upsert = connection.Command(
            """
            INSERT INTO entries (dataset_id, source_ref, line, is_labeled, has_errors) VALUES ($ds, $ref, $line, $labeled, $errors)
            ON CONFLICT(dataset_id, source_ref) DO UPDATE SET line = excluded.line, is_labeled = excluded.is_labeled, has_errors = excluded.has_errors,
                revision = entries.revision + 1
            RETURNING id
            """, transaction);
        _upsert.Parameters.AddWithValue("$ds", datasetId);
        _sourceRef = _upsert.Parameters.Add("$ref", SqliteType.Text);
        _line = _upsert.Parameters.Add("$line", SqliteType.Blob);
        _labeled = _upsert.Parameters.Add("$labeled", SqliteType.Integer);
        _errors = _upsert.Parameters.Add("$errors", SqliteType.Integer);

        _clearLabels = connection.Command("DELETE FROM entry_labels WHERE entry_id = $entry", transaction);
        _clearEntry = _clearLabels.Parameters.Add("$entry", SqliteType.Integer);

        _addLabel = connection.Command(
            "INSERT INTO entry_labels (dataset_id, label, entry_id, on_box) VALUES ($ds, $label, $entry, $box) ON CONFLICT DO UPDATE SET on_box = max(on_box, excluded.on_box)",
            transaction);
        _addLabel.Parameters.AddWithValue("$ds", datasetId);
        _labelName = _addLabel.Parameters.Add("$label", SqliteType.Text);
        _labelEntry = _addLabel.Parameters.Add("$entry", SqliteType.Integer);
        _labelOnBox = _addLabel.Parameters.Add("$box", SqliteType.Integer);
        Transaction = transaction;
        Connection = connection;
        _lastIdBefore = SourceRefIndex.LastEntryId(connection, transaction);
    }

    private SqliteConnection Connection { get; }

    private SqliteTransaction Transaction { get; }

    /// <summary>Labels written so far; <see cref="Complete"/> adds them to the dataset's label set.</summary>
    public IReadOnlyCollection<string> Labels => _labels;

    /// <summary>Writes (or replaces) one entry and returns its row id.</summary>
    public long WriteEntry(string sourceRef, ReadOnlyMemory<byte> line, bool isLabeled, bool hasErrors)
    {
        _sourceRef.Value = sourceRef;
        _line.Value = AsArray(line);
        _labeled.Value = isLabeled ? 1 : 0;
        _errors.Value = hasErrors ? 1 : 0;
        var id = Convert.ToInt64(_upsert.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        if (_mayReplace)
        {
            _clearEntry.Value = id;
            _clearLabels.ExecuteNonQuery();
        }

        return id;
    }

    /// <summary>Records that entry <paramref name="entryId"/> carries <paramref name="label"/>.</summary>
    public void WriteLabel(long entryId, string label, bool onBoundingBox)
    {
        _labelName.Value = label;
        _labelEntry.Value = entryId;
        _labelOnBox.Value = onBoundingBox ? 1 : 0;
        _addLabel.ExecuteNonQuery();
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
        _upsert.Dispose();
        _clearLabels.Dispose();
        _addLabel.Dispose();
    }

    // SQLite binds a byte[]: reuse the array behind the memory when it is exactly the line.
    private static byte[] AsArray(ReadOnlyMemory<byte> memory) =>
        MemoryMarshal.TryGetArray(memory, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : memory.ToArray();
}
