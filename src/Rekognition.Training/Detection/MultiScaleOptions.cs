using System.Globalization;

namespace Rekognition.Training.Detection;

/// <summary>
/// Multi-scale training input: each batch runs at one of a few input sizes around the nominal one (drawn from the seed,
/// so the same seed gives the same sequence), all sharing one set of parameters; the exported model keeps the nominal size.
/// </summary>
public sealed record MultiScaleOptions
{
    /// <summary>The largest stride of the detectors trained here: every input size is a multiple of it.</summary>
    public const int SizeStep = 32;

    /// <summary>
    /// The other input sizes as factors of the nominal size, each rounded to the nearest multiple of <see cref="SizeStep"/>
    /// (a factor that rounds to the nominal size, or below one step, is dropped). Empty: the nominal size only.
    /// </summary>
    public IReadOnlyList<float> Scales { get; init; } = Array.Empty<float>();

    /// <summary>Whether any other size is trained.</summary>
    public bool Enabled => Scales.Count > 0;

    /// <summary>The distinct input sizes other than <paramref name="nominal"/> that <see cref="Scales"/> gives, smallest first.</summary>
    public IReadOnlyList<int> OtherSizes(int nominal) =>
        Scales.Select(s => (int)MathF.Round(nominal * s / SizeStep, MidpointRounding.AwayFromZero) * SizeStep)
            .Where(s => s >= SizeStep && s != nominal).Distinct().Order().ToList();

    /// <summary>The scales as text (for a checkpoint's fingerprint and logs).</summary>
    public override string ToString() => string.Join(",", Scales.Select(s => s.ToString(CultureInfo.InvariantCulture)));
}
