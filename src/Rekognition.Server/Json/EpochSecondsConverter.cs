using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Rekognition.Server.Json;

/// <summary>
/// Timestamps as the awsJson protocols encode them: seconds since the Unix epoch as a JSON number,
/// written with millisecond precision (<c>1700000000.123</c>, or an integer when the fraction is zero),
/// read from integer, fractional or exponent numbers. Values are UTC.
/// </summary>
internal sealed class EpochSecondsConverter : JsonConverter<DateTime>
{
    private static readonly long MinSeconds = DateTimeOffset.MinValue.ToUnixTimeSeconds();
    private static readonly long MaxSeconds = DateTimeOffset.MaxValue.ToUnixTimeSeconds();

    public override DateTime Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.Number)
        {
            throw new JsonException($"Expected a timestamp as a number of seconds since the Unix epoch, found {ConstantClassConverterFactory.Describe(reader.TokenType)}.");
        }

        decimal seconds;
        if (!reader.TryGetDecimal(out seconds))
        {
            // Exponents beyond decimal's range, or forms decimal parsing declines: go through double.
            var text = reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan.ToArray();
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var asDouble) || double.IsNaN(asDouble)
                || asDouble < MinSeconds || asDouble > MaxSeconds)
            {
                throw new JsonException("The timestamp is outside the range of dates.");
            }

            seconds = (decimal)asDouble;
        }

        if (seconds < MinSeconds || seconds > MaxSeconds)
        {
            throw new JsonException("The timestamp is outside the range of dates.");
        }

        var milliseconds = (long)decimal.Round(seconds * 1000m, 0, MidpointRounding.AwayFromZero);
        return DateTimeOffset.FromUnixTimeMilliseconds(milliseconds).UtcDateTime;
    }

    public override void Write(Utf8JsonWriter writer, DateTime value, JsonSerializerOptions options)
    {
        var utc = value.Kind switch
        {
            DateTimeKind.Local => value.ToUniversalTime(),
            DateTimeKind.Unspecified => DateTime.SpecifyKind(value, DateTimeKind.Utc),
            _ => value,
        };
        var milliseconds = new DateTimeOffset(utc).ToUnixTimeMilliseconds();
        var whole = Math.DivRem(milliseconds, 1000, out var fraction);
        if (fraction < 0)
        {
            whole -= 1;
            fraction += 1000;
        }

        if (fraction == 0)
        {
            writer.WriteNumberValue(whole);
            return;
        }

        // Three digits at most, trailing zeros dropped: 1700000000.5, 1700000000.123.
        var fractionText = fraction.ToString("000", CultureInfo.InvariantCulture).TrimEnd('0');
        writer.WriteRawValue(string.Create(CultureInfo.InvariantCulture, $"{whole}.{fractionText}"), skipInputValidation: true);
    }
}
