using System.Runtime.InteropServices;
using Npgsql;
using NpgsqlTypes;
using Rekognition.Core.Catalog;
using Rekognition.PostgreSql.Connections;

namespace Rekognition.PostgreSql.Catalog;

/// <summary>
/// Writes entries that may replace existing ones (UpdateDatasetEntries, at most a few MB). The lines are gathered in
/// memory and <see cref="Complete"/> sends them in one round trip (arrays through <c>unnest</c>): upserted with their
/// old label uses cleared, their new label uses, the dataset's label set; inside the caller's transaction, so all or
/// nothing is kept. The result is what writing the lines one by one gives: a source-ref written twice keeps its last
/// line and labels, its revision counts every write, and new entries get ids in the order they first appear.
/// </summary>
internal sealed class PgEntryUpserter : IEntryWriter
{
    private readonly PgCatalogTransaction _transaction;
    private readonly long _datasetId;
    private readonly List<Pending> _entries = new();
    private readonly Dictionary<string, int> _bySourceRef = new(StringComparer.Ordinal);
    private readonly HashSet<string> _labels = new(StringComparer.Ordinal);

    public PgEntryUpserter(PgCatalogTransaction transaction, long datasetId)
    {
        _transaction = transaction;
        _datasetId = datasetId;
    }

    /// <summary>Gathers one line; returns the number <see cref="WriteLabel"/> knows the entry by until <see cref="Complete"/> writes it.</summary>
    public long WriteEntry(string sourceRef, ReadOnlyMemory<byte> line, bool isLabeled, bool hasErrors)
    {
        ref var index = ref CollectionsMarshal.GetValueRefOrAddDefault(_bySourceRef, sourceRef, out var seen);
        if (!seen)
        {
            index = _entries.Count;
            _entries.Add(new Pending(sourceRef));
        }

        var entry = _entries[index];
        entry.Line = line.ToArray();
        entry.IsLabeled = isLabeled;
        entry.HasErrors = hasErrors;
        entry.Writes++;
        entry.Labels.Clear(); // a replacement drops the labels the earlier line gave
        return index;
    }

    public void WriteLabel(long entryId, string label, bool onBoundingBox)
    {
        ref var onBox = ref CollectionsMarshal.GetValueRefOrAddDefault(_entries[checked((int)entryId)].Labels, label, out _);
        onBox |= onBoundingBox;
        _labels.Add(label);
    }

    public void Complete()
    {
        if (_entries.Count == 0)
        {
            return;
        }

        var uses = _entries.SelectMany(e => e.Labels.Select(l => (e.SourceRef, Label: l.Key, OnBox: l.Value))).ToList();
        _transaction.Database.Run(_transaction, (connection, tx) =>
        {
            using var batch = new NpgsqlBatch(connection, tx);
            batch.BatchCommands.Add(Upsert());
            batch.BatchCommands.Add(Labels(uses));
            batch.BatchCommands.Add(PgDatasetLabels.Command(_datasetId, _labels));
            batch.ExecuteNonQuery();
        });
    }

    public void Dispose()
    {
    }

    // The entries, replaced or added in first-appearance order, and the old label uses of every one cleared.
    private NpgsqlBatchCommand Upsert()
    {
        var command = new NpgsqlBatchCommand(
            """
            WITH input AS (
                SELECT * FROM unnest($2::text[], $3::bytea[], $4::boolean[], $5::boolean[], $6::bigint[]) WITH ORDINALITY
                    AS i(source_ref, line, is_labeled, has_errors, writes, n)),
            upserted AS (
                INSERT INTO entries (dataset_id, source_ref, line, is_labeled, has_errors, revision)
                SELECT $1, source_ref, line, is_labeled, has_errors, writes FROM input ORDER BY n
                ON CONFLICT (dataset_id, source_ref) DO UPDATE SET line = excluded.line, is_labeled = excluded.is_labeled,
                    has_errors = excluded.has_errors, revision = entries.revision + excluded.revision
                RETURNING id)
            DELETE FROM entry_labels WHERE entry_id IN (SELECT id FROM upserted)
            """);
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Bigint, Value = _datasetId });
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = _entries.Select(e => e.SourceRef).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea, Value = _entries.Select(e => e.Line).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Boolean, Value = _entries.Select(e => e.IsLabeled).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Boolean, Value = _entries.Select(e => e.HasErrors).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint, Value = _entries.Select(e => (long)e.Writes).ToArray() });
        return command;
    }

    // The label uses of the lines written, found by source-ref (the upsert before it in the batch gave the rows their ids).
    private NpgsqlBatchCommand Labels(List<(string SourceRef, string Label, bool OnBox)> uses)
    {
        var command = new NpgsqlBatchCommand(
            """
            INSERT INTO entry_labels (dataset_id, label, entry_id, on_box)
            SELECT $1, u.label, e.id, u.on_box FROM unnest($2::text[], $3::text[], $4::boolean[]) AS u(source_ref, label, on_box)
            JOIN entries e ON e.dataset_id = $1 AND e.source_ref = u.source_ref
            """);
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Bigint, Value = _datasetId });
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = uses.Select(u => u.SourceRef).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = uses.Select(u => u.Label).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Boolean, Value = uses.Select(u => u.OnBox).ToArray() });
        return command;
    }

    private sealed class Pending(string sourceRef)
    {
        public string SourceRef { get; } = sourceRef;

        public byte[] Line { get; set; } = [];

        public bool IsLabeled { get; set; }

        public bool HasErrors { get; set; }

        public int Writes { get; set; }

        public Dictionary<string, bool> Labels { get; } = new(StringComparer.Ordinal);
    }
}
