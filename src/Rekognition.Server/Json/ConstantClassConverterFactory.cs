using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using Rekognition.Core;

namespace Rekognition.Server.Json;

/// <summary>
/// Writes every <see cref="ConstantClass"/> enumeration as its wire string and reads it back through the
/// type's static <c>FindValue(string)</c> (so known values come back as the shared instances), or its
/// string constructor when it has no <c>FindValue</c>. Values the library does not know still round-trip.
/// </summary>
internal sealed class ConstantClassConverterFactory : JsonConverterFactory
{
    private readonly ConcurrentDictionary<Type, JsonConverter> _converters = new();

    public override bool CanConvert(Type typeToConvert) =>
        typeof(ConstantClass).IsAssignableFrom(typeToConvert) && !typeToConvert.IsAbstract;

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        _converters.GetOrAdd(typeToConvert, static type =>
        {
            var converterType = typeof(ConstantClassConverter<>).MakeGenericType(type);
            return (JsonConverter)Activator.CreateInstance(converterType, FactoryFor(type))!;
        });

    private static Delegate FactoryFor(Type type)
    {
        var delegateType = typeof(Func<,>).MakeGenericType(typeof(string), type);
        var findValue = type.GetMethod("FindValue", BindingFlags.Public | BindingFlags.Static, [typeof(string)]);
        if (findValue is not null && type.IsAssignableFrom(findValue.ReturnType))
        {
            return findValue.CreateDelegate(delegateType);
        }

        var constructor = type.GetConstructor(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance, [typeof(string)])
            ?? throw new InvalidOperationException($"{type.FullName} has neither a static FindValue(string) nor a string constructor.");
        var parameter = System.Linq.Expressions.Expression.Parameter(typeof(string), "value");
        return System.Linq.Expressions.Expression.Lambda(delegateType, System.Linq.Expressions.Expression.New(constructor, parameter), parameter).Compile();
    }

    private sealed class ConstantClassConverter<T>(Func<string, T> create) : JsonConverter<T>
        where T : ConstantClass
    {
        public override T? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType != JsonTokenType.String)
            {
                throw new JsonException($"Expected a string for a {typeof(T).Name} value, found {Describe(reader.TokenType)}.");
            }

            return create(reader.GetString()!);
        }

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => writer.WriteStringValue(value.Value);
    }

    internal static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };
}
