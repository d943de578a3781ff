using System.Globalization;
using System.Text.Json;

namespace Rekognition.Core.Manifests;

/// <summary>
/// The <c>creation-date</c> of a label: either a UTC instant, written as <c>yyyy-MM-ddTHH:mm:ss.ffffff</c>,
/// or a text taken from a source file and written unchanged (converters keep the dates they are given).
/// </summary>
public readonly struct ManifestTimestamp : IEquatable<ManifestTimestamp>
{
    /// <summary>The form an instant is written in (what Ground Truth and the CSV script write).</summary>
    public const string Format = "yyyy-MM-ddTHH:mm:ss.ffffff";

    private readonly DateTime _utc;
    private readonly string? _text;

    /// <summary>An instant; a local time is converted to UTC first, an unspecified one is taken as UTC.</summary>
    public ManifestTimestamp(DateTime value)
    {
        _utc = value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : value;
        _text = null;
    }

    private ManifestTimestamp(string text)
    {
        _utc = default;
        _text = text;
    }

    /// <summary>The current UTC time.</summary>
    public static ManifestTimestamp UtcNow => new(DateTime.UtcNow);

    /// <summary>A date text written exactly as given, e.g. a <c>creation-date</c> copied from another manifest.</summary>
    public static ManifestTimestamp Verbatim(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new ArgumentException("A creation-date text must not be empty.", nameof(text));
        }

        return new ManifestTimestamp(text);
    }

    /// <summary>Converts an instant.</summary>
    public static implicit operator ManifestTimestamp(DateTime value) => new(value);

    /// <summary>Converts an instant (named alternative to the implicit operator).</summary>
    public static ManifestTimestamp FromDateTime(DateTime value) => new(value);

    /// <summary>The text as it is written into a manifest.</summary>
    public override string ToString() => _text ?? _utc.ToString(Format, CultureInfo.InvariantCulture);

    /// <inheritdoc />
    public bool Equals(ManifestTimestamp other) => _utc == other._utc && string.Equals(_text, other._text, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is ManifestTimestamp other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(_utc, _text);

    /// <summary>Whether two timestamps are the same instant written the same way.</summary>
    public static bool operator ==(ManifestTimestamp left, ManifestTimestamp right) => left.Equals(right);

    /// <summary>Whether two timestamps differ in instant or in text.</summary>
    public static bool operator !=(ManifestTimestamp left, ManifestTimestamp right) => !left.Equals(right);

    /// <summary>Writes the property without allocating: instants are formatted straight to UTF-8.</summary>
    internal void WriteTo(Utf8JsonWriter writer, ReadOnlySpan<byte> propertyName)
    {
        if (_text is not null)
        {
            writer.WriteString(propertyName, _text);
            return;
        }

        Span<byte> utf8 = stackalloc byte[32];
        _utc.TryFormat(utf8, out var written, Format, CultureInfo.InvariantCulture);
        writer.WriteString(propertyName, utf8[..written]);
    }
}
