using System.Text.Json.Serialization;
using Rekognition.Core.Catalog;
using Rekognition.Core.Feedback;

namespace Rekognition.PostgreSql.Catalog;

/// <summary>The JSON columns: a version's details and feedback labels, written as the SQLite catalog writes them.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ProjectVersionDetails))]
[JsonSerializable(typeof(List<FeedbackLabel>))]
internal sealed partial class PgJsonContext : JsonSerializerContext;
