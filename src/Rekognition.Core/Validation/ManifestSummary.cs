using System.Text.Json.Serialization;

namespace Rekognition.Core.Validation;

/// <summary>The training-time <c>manifest_summary.json</c> (datasets.md §8.2).</summary>
internal sealed class ManifestSummary
{
    /// <summary>Per-dataset statistics.</summary>
    [JsonPropertyName("statistics")]
    public ManifestStatistics Statistics { get; set; } = new();

    /// <summary>Terminal content errors that concern both datasets (label overlap, shared images).</summary>
    [JsonPropertyName("errors")]
    public List<SummaryError> Errors { get; set; } = new();

    /// <summary>
    /// Beyond the service's file: findings of <see cref="Training.DataChecks"/> (few images for a label, imbalance, the same
    /// image in both sets, boxes too small for the detector) that never stop a training. Absent when there are none.
    /// </summary>
    [JsonPropertyName("warnings")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<SummaryError>? Warnings { get; set; }

    /// <summary>A terminal manifest file error (empty, too large, ...): then no file was written. Not part of the file.</summary>
    [JsonIgnore]
    public ManifestFileError? FileError { get; set; }

    /// <summary>Which manifest <see cref="FileError"/> is about: "training" or "testing". Not part of the file.</summary>
    [JsonIgnore]
    public string? FileErrorDataset { get; set; }

    /// <summary>Whether training must stop: a file error, or a terminal content error in either dataset or across them.</summary>
    [JsonIgnore]
    public bool HasTerminalErrors => FileError is not null || Errors.Count > 0 || Statistics.Training.Errors.Count > 0 || Statistics.Testing.Errors.Count > 0;
}

/// <summary>The <c>statistics</c> block of the manifest summary.</summary>
internal sealed class ManifestStatistics
{
    [JsonPropertyName("training")]
    public DatasetValidationStatistics Training { get; set; } = new();

    [JsonPropertyName("testing")]
    public DatasetValidationStatistics Testing { get; set; } = new();
}

/// <summary>The statistics of one validated manifest.</summary>
internal sealed class DatasetValidationStatistics
{
    [JsonPropertyName("use_case")]
    public string UseCase { get; set; } = ManifestUseCase.NotDetermined;

    [JsonPropertyName("total_json_lines")]
    public int TotalJsonLines { get; set; }

    [JsonPropertyName("valid_json_lines")]
    public int ValidJsonLines { get; set; }

    [JsonPropertyName("invalid_json_lines")]
    public int InvalidJsonLines { get; set; }

    [JsonPropertyName("ignored_json_lines")]
    public int IgnoredJsonLines { get; set; }

    /// <summary>1-based numbers, in the validation manifest, of the lines with errors.</summary>
    [JsonPropertyName("error_json_line_indices")]
    public List<int> ErrorJsonLineIndices { get; set; } = new();

    [JsonPropertyName("errors")]
    public List<SummaryError> Errors { get; set; } = new();
}

/// <summary>An error entry of the summary: <c>{"code": ..., "message": ...}</c>.</summary>
internal sealed record SummaryError(
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("message")] string Message);
