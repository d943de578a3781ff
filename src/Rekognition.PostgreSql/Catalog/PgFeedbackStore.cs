using System.Text.Json;
using Npgsql;
using Rekognition.Core.Catalog;
using Rekognition.Core.Feedback;
using Rekognition.PostgreSql.Connections;

namespace Rekognition.PostgreSql.Catalog;

/// <summary>
/// Feedback recording in the PostgreSQL catalog. Whether a version records is cached per catalog, so the detection
/// path does not ask the database per image; a switch made on another host is read again within
/// <see cref="RecordingSwitches.MaxAge"/>.
/// </summary>
internal sealed class PgFeedbackStore(PgDatabase database) : IFeedbackCatalog
{
    private const string Columns = "id, version_arn, source_ref, width, height, object_location, recorded_ms, predictions, status, reviewed, reviewed_ms, dataset_arn";

    private readonly RecordingSwitches _switches = new();

    public bool IsRecording(string versionArn) => _switches.IsOn(versionArn, arn => database.Run(null, (connection, _) =>
    {
        using var command = connection.Command("SELECT COUNT(*) FROM feedback_recording WHERE version_arn = @arn").With("arn", arn);
        return command.Scalar() > 0;
    }));

    public void SetRecording(string versionArn, bool enabled)
    {
        database.Run(null, (connection, _) =>
        {
            using var command = connection.Command(enabled
                ? "INSERT INTO feedback_recording (version_arn) VALUES (@arn) ON CONFLICT DO NOTHING"
                : "DELETE FROM feedback_recording WHERE version_arn = @arn").With("arn", versionArn);
            command.ExecuteNonQuery();
        });
        _switches.Set(versionArn, enabled);
    }

    public long Insert(string versionArn, string sourceRef, int width, int height, bool objectLocation, long recordedMs, List<FeedbackLabel> predictions) =>
        database.Run(null, (connection, _) =>
        {
            using var command = connection.Command(
                """
                INSERT INTO feedback_items (version_arn, source_ref, width, height, object_location, recorded_ms, predictions, status)
                VALUES (@v, @ref, @w, @h, @box, @ms, @p, @s) RETURNING id
                """)
                .With("v", versionArn).With("ref", sourceRef).With("w", width).With("h", height).With("box", objectLocation)
                .With("ms", recordedMs).With("p", Serialize(predictions)).With("s", FeedbackStatus.PendingReview.ToString());
            return command.Scalar();
        });

    public FeedbackRecord? Find(long id) =>
        database.Run(null, (connection, _) =>
        {
            using var command = connection.Command($"SELECT {Columns} FROM feedback_items WHERE id = @id").With("id", id);
            return command.ReadFirst(Read);
        });

    public List<FeedbackRecord> List(string versionArn, string? status) =>
        database.Run(null, (connection, _) =>
        {
            using var command = connection.Command(
                $"SELECT {Columns} FROM feedback_items WHERE version_arn = @v AND (@s::text IS NULL OR status = @s) ORDER BY id")
                .With("v", versionArn).Text("s", status);
            return command.ReadAll(Read);
        });

    public bool TryReview(long id, string status, List<FeedbackLabel>? reviewed, long reviewedMs) =>
        database.Run(null, (connection, _) =>
        {
            using var command = connection.Command(
                "UPDATE feedback_items SET status = @s, reviewed = @r, reviewed_ms = @ms WHERE id = @id AND dataset_arn IS NULL")
                .With("s", status).Text("r", reviewed is null ? null : Serialize(reviewed)).With("ms", reviewedMs).With("id", id);
            return command.ExecuteNonQuery() == 1;
        });

    public void MarkAdded(IEnumerable<long> ids, string datasetArn)
    {
        var rows = ids.ToArray();
        database.Run(null, (connection, _) =>
        {
            using var command = connection.Command("UPDATE feedback_items SET dataset_arn = @d WHERE id = ANY(@ids)").With("d", datasetArn).With("ids", rows);
            command.ExecuteNonQuery();
        });
    }

    private static string Serialize(List<FeedbackLabel> labels) => JsonSerializer.Serialize(labels, PgJsonContext.Default.ListFeedbackLabel);

    private static List<FeedbackLabel> Deserialize(string json) => JsonSerializer.Deserialize(json, PgJsonContext.Default.ListFeedbackLabel) ?? new();

    private static FeedbackRecord Read(NpgsqlDataReader r) => new(
        r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetInt32(3), r.GetInt32(4), r.GetBoolean(5), r.GetInt64(6),
        Deserialize(r.GetString(7)), r.GetString(8), r.IsDBNull(9) ? null : Deserialize(r.GetString(9)),
        r.IsDBNull(10) ? null : r.GetInt64(10), r.NullableString(11));
}
