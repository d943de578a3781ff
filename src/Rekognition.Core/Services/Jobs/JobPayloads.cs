using System.Text.Json;
using System.Text.Json.Serialization;

namespace Rekognition.Core.Services.Jobs;

/// <summary>A dataset import: the dataset's id and the manifest's location in its bucket (found again by the host that runs it).</summary>
internal sealed record ImportPayload(long DatasetId, string Bucket, string Name);

/// <summary>UpdateDatasetEntries: the dataset and the change lines (at most 5 MB).</summary>
internal sealed record UpdatePayload(long DatasetId, byte[] Changes);

/// <summary>DistributeDatasetEntries, or a dataset created as a copy: the two datasets.</summary>
internal sealed record DatasetPairPayload(long FromDatasetId, long ToDatasetId);

/// <summary>A training: where its lines come from (datasets by ARN, or the legacy manifests' paths); the backbone is in the version's details.</summary>
internal sealed record TrainPayload(string? TrainDatasetArn, string? TestDatasetArn, string? TrainManifest, string? TestManifest, bool AutoSplit);

/// <summary>CopyProjectVersion (run by the host that accepted it: its source may be another store of that process).</summary>
internal sealed record CopyVersionPayload(string SourceVersionArn);

/// <summary>The payloads' JSON, source-generated.</summary>
[JsonSerializable(typeof(ImportPayload))]
[JsonSerializable(typeof(UpdatePayload))]
[JsonSerializable(typeof(DatasetPairPayload))]
[JsonSerializable(typeof(TrainPayload))]
[JsonSerializable(typeof(CopyVersionPayload))]
internal sealed partial class JobPayloadJsonContext : JsonSerializerContext
{
    /// <summary>The JSON of <paramref name="payload"/>.</summary>
    public static string Write<T>(T payload) => JsonSerializer.Serialize(payload, typeof(T), Default);

    /// <summary>The payload of <paramref name="job"/>.</summary>
    public static T Read<T>(Catalog.JobRecord job) =>
        (T)(JsonSerializer.Deserialize(job.Payload, typeof(T), Default) ?? throw new InvalidDataException($"Job {job.Id} has no payload."));
}
