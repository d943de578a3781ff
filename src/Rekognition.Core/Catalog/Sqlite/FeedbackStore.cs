using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Data.Sqlite;
using Rekognition.Core.Feedback;

namespace Rekognition.Core.Catalog.Sqlite;

/// <summary>
/// Feedback recording in the catalog: which versions record, and the recorded images with their predictions
/// and reviews. Its tables live in the catalog file and are created on first use.
/// </summary>
internal sealed class FeedbackStore : IFeedbackCatalog
{
    // Whether a version records, cached per catalog file so the detection path does not query SQLite per image; a
    // switch made by another process on the same file is read again within RecordingSwitches.MaxAge.
    private static readonly ConcurrentDictionary<string, RecordingSwitches> Switches = new(StringComparer.Ordinal);

    private const string Columns = "id, version_arn, source_ref, width, height, object_location, recorded_ms, predictions, status, reviewed, reviewed_ms, dataset_arn";

    private readonly CatalogDatabase _database;
    private readonly RecordingSwitches _switches;

    public FeedbackStore(CatalogDatabase database)
    {
        _database = database;
        _switches = Switches.GetOrAdd(database.Path, _ => new RecordingSwitches());
        using var connection = database.Open();
        using var command = connection.Command(
            """
            CREATE TABLE IF NOT EXISTS feedback_recording (
                version_arn TEXT PRIMARY KEY
            ) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS feedback_items (
                id INTEGER PRIMARY KEY,
                version_arn TEXT NOT NULL,
                source_ref TEXT NOT NULL,
                width INTEGER NOT NULL,
                height INTEGER NOT NULL,
                object_location INTEGER NOT NULL,
                recorded_ms INTEGER NOT NULL,
                predictions TEXT NOT NULL,
                status TEXT NOT NULL,
                reviewed TEXT NULL,
                reviewed_ms INTEGER NULL,
                dataset_arn TEXT NULL
            );
            CREATE INDEX IF NOT EXISTS feedback_items_by_version ON feedback_items (version_arn, status);
            """);
        command.ExecuteNonQuery();
    }

    public bool IsRecording(string versionArn) => _switches.IsOn(versionArn, arn =>
    {
        using var connection = _database.Open();
        using var command = connection.Command("SELECT COUNT(*) FROM feedback_recording WHERE version_arn = $arn").With("$arn", arn);
        return command.Scalar() > 0;
    });

    public void SetRecording(string versionArn, bool enabled)
    {
        using var connection = _database.Open();
        using var command = connection.Command(enabled
            ? "INSERT INTO feedback_recording (version_arn) VALUES ($arn) ON CONFLICT DO NOTHING"
            : "DELETE FROM feedback_recording WHERE version_arn = $arn").With("$arn", versionArn);
        command.ExecuteNonQuery();
        _switches.Set(versionArn, enabled);
    }

    public long Insert(string versionArn, string sourceRef, int width, int height, bool objectLocation, long recordedMs, List<FeedbackLabel> predictions)
    {
        using var connection = _database.Open();
        using var command = connection.Command(
            """
            INSERT INTO feedback_items (version_arn, source_ref, width, height, object_location, recorded_ms, predictions, status)
            VALUES ($v, $ref, $w, $h, $box, $ms, $p, $s) RETURNING id
            """)
            .With("$v", versionArn).With("$ref", sourceRef).With("$w", width).With("$h", height).With("$box", objectLocation ? 1 : 0)
            .With("$ms", recordedMs).With("$p", Serialize(predictions)).With("$s", FeedbackStatus.PendingReview.ToString());
        return command.Scalar();
    }

    public FeedbackRecord? Find(long id)
    {
        using var connection = _database.Open();
        using var command = connection.Command($"SELECT {Columns} FROM feedback_items WHERE id = $id").With("$id", id);
        using var reader = command.ExecuteReader();
        return reader.Read() ? Read(reader) : null;
    }

    /// <summary>A version's records in the order they were made, optionally only those in <paramref name="status"/>.</summary>
    public List<FeedbackRecord> List(string versionArn, string? status)
    {
        using var connection = _database.Open();
        using var command = connection.Command(
            $"SELECT {Columns} FROM feedback_items WHERE version_arn = $v AND ($s IS NULL OR status = $s) ORDER BY id")
            .With("$v", versionArn).With("$s", status);
        using var reader = command.ExecuteReader();
        var result = new List<FeedbackRecord>();
        while (reader.Read())
        {
            result.Add(Read(reader));
        }

        return result;
    }

    /// <summary>Records a review; false when the record was already added to a dataset (its review is final then).</summary>
    public bool TryReview(long id, string status, List<FeedbackLabel>? reviewed, long reviewedMs)
    {
        using var connection = _database.Open();
        using var command = connection.Command(
            "UPDATE feedback_items SET status = $s, reviewed = $r, reviewed_ms = $ms WHERE id = $id AND dataset_arn IS NULL")
            .With("$s", status).With("$r", reviewed is null ? null : Serialize(reviewed)).With("$ms", reviewedMs).With("$id", id);
        return command.ExecuteNonQuery() == 1;
    }

    /// <summary>Marks records as added to a dataset, in one transaction.</summary>
    public void MarkAdded(IEnumerable<long> ids, string datasetArn)
    {
        using var connection = _database.Open();
        using var transaction = connection.BeginTransaction();
        using var command = connection.Command("UPDATE feedback_items SET dataset_arn = $d WHERE id = $id", transaction).With("$d", datasetArn);
        var id = command.Parameters.Add("$id", SqliteType.Integer);
        foreach (var value in ids)
        {
            id.Value = value;
            command.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    private static string Serialize(List<FeedbackLabel> labels) => JsonSerializer.Serialize(labels, FeedbackJsonContext.Default.ListFeedbackLabel);

    private static List<FeedbackLabel> Deserialize(string json) => JsonSerializer.Deserialize(json, FeedbackJsonContext.Default.ListFeedbackLabel) ?? new();

    private static FeedbackRecord Read(SqliteDataReader r) => new(
        r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetInt32(3), r.GetInt32(4), r.GetInt32(5) != 0, r.GetInt64(6),
        Deserialize(r.GetString(7)), r.GetString(8), r.IsDBNull(9) ? null : Deserialize(r.GetString(9)),
        r.IsDBNull(10) ? null : r.GetInt64(10), r.NullableString(11));
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(List<FeedbackLabel>))]
internal sealed partial class FeedbackJsonContext : JsonSerializerContext;
