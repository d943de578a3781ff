using Npgsql;
using NpgsqlTypes;
using Rekognition.Core.Catalog;
using Rekognition.PostgreSql.Connections;

namespace Rekognition.PostgreSql.Catalog;

/// <summary>
/// Writes entries that may replace existing ones (UpdateDatasetEntries, at most a few MB): one prepared upsert per
/// line, its old label uses cleared, inside the caller's transaction.
/// </summary>
internal sealed class PgEntryUpserter : IEntryWriter
{
    private readonly PgCatalogTransaction _transaction;
    private readonly long _datasetId;
    private readonly NpgsqlCommand _upsert;
    private readonly NpgsqlCommand _clearLabels;
    private readonly NpgsqlCommand _addLabel;
    private readonly HashSet<string> _labels = new(StringComparer.Ordinal);

    public PgEntryUpserter(PgCatalogTransaction transaction, long datasetId)
    {
        _transaction = transaction;
        _datasetId = datasetId;
        var (connection, tx) = (transaction.Connection, transaction.Transaction);
        _upsert = connection.Command(
            """
            INSERT INTO entries (dataset_id, source_ref, line, is_labeled, has_errors) VALUES (@ds, @ref, @line, @labeled, @errors)
            ON CONFLICT (dataset_id, source_ref) DO UPDATE SET line = excluded.line, is_labeled = excluded.is_labeled, has_errors = excluded.has_errors,
                revision = entries.revision + 1
            RETURNING id
            """, tx);
        _upsert.Parameters.AddWithValue("ds", datasetId);
        _upsert.Parameters.Add(new NpgsqlParameter("ref", NpgsqlDbType.Text));
        _upsert.Parameters.Add(new NpgsqlParameter("line", NpgsqlDbType.Bytea));
        _upsert.Parameters.Add(new NpgsqlParameter("labeled", NpgsqlDbType.Boolean));
        _upsert.Parameters.Add(new NpgsqlParameter("errors", NpgsqlDbType.Boolean));
        _clearLabels = connection.Command("DELETE FROM entry_labels WHERE entry_id = @entry", tx);
        _clearLabels.Parameters.Add(new NpgsqlParameter("entry", NpgsqlDbType.Bigint));
        _addLabel = connection.Command(
            """
            INSERT INTO entry_labels (dataset_id, label, entry_id, on_box) VALUES (@ds, @label, @entry, @box)
            ON CONFLICT (dataset_id, label, entry_id) DO UPDATE SET on_box = entry_labels.on_box OR excluded.on_box
            """, tx);
        _addLabel.Parameters.AddWithValue("ds", datasetId);
        _addLabel.Parameters.Add(new NpgsqlParameter("label", NpgsqlDbType.Text));
        _addLabel.Parameters.Add(new NpgsqlParameter("entry", NpgsqlDbType.Bigint));
        _addLabel.Parameters.Add(new NpgsqlParameter("box", NpgsqlDbType.Boolean));
    }

    public long WriteEntry(string sourceRef, ReadOnlyMemory<byte> line, bool isLabeled, bool hasErrors)
    {
        try
        {
            _upsert.Parameters[1].Value = sourceRef;
            _upsert.Parameters[2].Value = line;
            _upsert.Parameters[3].Value = isLabeled;
            _upsert.Parameters[4].Value = hasErrors;
            var id = (long)_upsert.ExecuteScalar()!;
            _clearLabels.Parameters[0].Value = id;
            _clearLabels.ExecuteNonQuery();
            return id;
        }
        catch (Exception ex) when (PgDatabase.IsDatabaseFailure(ex))
        {
            throw PgDatabase.Lost(ex);
        }
    }

    public void WriteLabel(long entryId, string label, bool onBoundingBox)
    {
        try
        {
            _addLabel.Parameters[1].Value = label;
            _addLabel.Parameters[2].Value = entryId;
            _addLabel.Parameters[3].Value = onBoundingBox;
            _addLabel.ExecuteNonQuery();
            _labels.Add(label);
        }
        catch (Exception ex) when (PgDatabase.IsDatabaseFailure(ex))
        {
            throw PgDatabase.Lost(ex);
        }
    }

    public void Complete() => PgDatasetLabels.Add(_transaction, _datasetId, _labels);

    public void Dispose()
    {
        _upsert.Dispose();
        _clearLabels.Dispose();
        _addLabel.Dispose();
    }
}
