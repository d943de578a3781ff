using System.Text.Json;
using System.Text.Json.Serialization;

namespace Rekognition.Server.Json;

/// <summary>
/// Blobs as the awsJson protocols encode them: a base64 string of the bytes (all of the stream's
/// content, whatever its position).
/// </summary>
internal sealed class MemoryStreamBase64Converter : JsonConverter<MemoryStream>
{
    public override MemoryStream? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException($"Expected a blob as a base64 string, found {ConstantClassConverterFactory.Describe(reader.TokenType)}.");
        }

        if (!reader.TryGetBytesFromBase64(out var bytes))
        {
            throw new JsonException("The blob is not valid base64.");
        }

        return new MemoryStream(bytes, 0, bytes.Length, writable: false, publiclyVisible: true);
    }

    public override void Write(Utf8JsonWriter writer, MemoryStream value, JsonSerializerOptions options)
    {
        if (value.TryGetBuffer(out var segment))
        {
            writer.WriteBase64StringValue(segment.AsSpan(0, (int)value.Length));
        }
        else
        {
            writer.WriteBase64StringValue(value.ToArray());
        }
    }
}
