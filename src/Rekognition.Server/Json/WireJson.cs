using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Rekognition.Core;

namespace Rekognition.Server.Json;

/// <summary>
/// The serializer options of the wire protocol: the source-generated metadata of the model types, the
/// protocol's encodings of enums, timestamps and blobs, and no SDK-side members (the HTTP status,
/// response metadata and content length of <see cref="AmazonWebServiceResponse"/> are not on the wire).
/// </summary>
internal static class WireJson
{
    private static readonly HashSet<string> SdkOnlyMembers = new(StringComparer.Ordinal)
    {
        nameof(AmazonWebServiceResponse.HttpStatusCode),
        nameof(AmazonWebServiceResponse.ResponseMetadata),
        nameof(AmazonWebServiceResponse.ContentLength),
    };

    /// <summary>The options; their metadata is read-only once first used.</summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    /// <summary>The metadata for <typeparamref name="T"/>; throws when the type is not in the generated context.</summary>
    public static JsonTypeInfo<T> TypeInfo<T>() => (JsonTypeInfo<T>)Options.GetTypeInfo(typeof(T));

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions
        {
            TypeInfoResolver = RekognitionJsonContext.Default.WithAddedModifier(RemoveSdkOnlyMembers).WithAddedModifier(TreatNullAsAbsent),
            DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
            PropertyNamingPolicy = null,
            PropertyNameCaseInsensitive = false,
            MaxDepth = 64,
        };
        options.Converters.Add(new ConstantClassConverterFactory());
        options.Converters.Add(new EpochSecondsConverter());
        options.Converters.Add(new MemoryStreamBase64Converter());
        options.MakeReadOnly();
        return options;
    }

    // Clients treat a null member as an absent one; so does the server, which keeps the member's
    // default (an empty list stays an empty list instead of becoming null).
    private static void TreatNullAsAbsent(JsonTypeInfo typeInfo)
    {
        if (typeInfo.Kind != JsonTypeInfoKind.Object)
        {
            return;
        }

        foreach (var property in typeInfo.Properties)
        {
            if (property.Set is { } set && (!property.PropertyType.IsValueType || Nullable.GetUnderlyingType(property.PropertyType) is not null))
            {
                property.Set = (target, value) =>
                {
                    if (value is not null)
                    {
                        set(target, value);
                    }
                };
            }
        }
    }

    private static void RemoveSdkOnlyMembers(JsonTypeInfo typeInfo)
    {
        if (typeInfo.Kind != JsonTypeInfoKind.Object || !typeof(AmazonWebServiceResponse).IsAssignableFrom(typeInfo.Type))
        {
            return;
        }

        for (var i = typeInfo.Properties.Count - 1; i >= 0; i--)
        {
            if (SdkOnlyMembers.Contains(typeInfo.Properties[i].Name))
            {
                typeInfo.Properties.RemoveAt(i);
            }
        }
    }
}
