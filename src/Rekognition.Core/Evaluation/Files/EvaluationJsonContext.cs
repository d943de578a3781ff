using System.Text.Json.Serialization;

namespace Rekognition.Core.Evaluation;

/// <summary>Source-generated serialization of the evaluation's known JSON shapes.</summary>
[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(EvaluationSummaryDocument))]
[JsonSerializable(typeof(EvaluationReportData))]
internal sealed partial class EvaluationJsonContext : JsonSerializerContext;
