namespace Rekognition.Core;

/// <summary>
/// A string-valued enumeration, shaped as the AWS SDK for .NET shapes the service's enums:
/// static instances named as the service's values, implicit conversion from <see cref="string"/>,
/// and equality by value, so code written as <c>status == DatasetStatus.CREATE_COMPLETE</c> ports unchanged.
/// Values the library does not know still round-trip (clients accept values outside the enum).
/// </summary>
public abstract class ConstantClass : IEquatable<ConstantClass>
{
    protected ConstantClass(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        Value = value;
    }

    /// <summary>The value as the service writes it.</summary>
    public string Value { get; }

    public override string ToString() => Value;

    public bool Equals(ConstantClass? other) =>
        other is not null && other.GetType() == GetType() && string.Equals(Value, other.Value, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is ConstantClass c && Equals(c);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);

    public static bool operator ==(ConstantClass? a, ConstantClass? b) => a is null ? b is null : a.Equals(b);

    public static bool operator !=(ConstantClass? a, ConstantClass? b) => !(a == b);

    public static implicit operator string?(ConstantClass? value) => value?.Value;
}
