using System.Text.Json.Serialization;

namespace Rekognition.Core.Validation;

/// <summary>Source-generated serialization of the validation result files.</summary>
[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(ManifestSummary))]
internal sealed partial class ValidationJsonContext : JsonSerializerContext;
