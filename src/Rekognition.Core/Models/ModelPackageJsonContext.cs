using System.Text.Json.Serialization;

namespace Rekognition.Core.Models;

/// <summary>Source-generated JSON for the model package metadata (camelCase, indented for people to read).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip,
    AllowTrailingCommas = true)]
[JsonSerializable(typeof(ModelPackageMetadata))]
internal sealed partial class ModelPackageJsonContext : JsonSerializerContext;
