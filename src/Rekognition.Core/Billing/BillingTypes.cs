namespace Rekognition.Core.Billing;

/// <summary>One interval a version ran on a number of inference units.</summary>
/// <param name="Start">When it started running (UTC).</param>
/// <param name="End">When it stopped; null while it still runs.</param>
/// <param name="InferenceUnits">The inference units it ran on.</param>
/// <param name="Hours">Running hours (until now for an open interval).</param>
public sealed record BillingInterval(DateTime Start, DateTime? End, int InferenceUnits, double Hours)
{
    /// <summary>What the service bills: running hours times inference units.</summary>
    public double InferenceHours => Hours * InferenceUnits;
}

/// <summary>A version's billing: its intervals, oldest first, and their total.</summary>
/// <param name="ProjectVersionArn">The version.</param>
/// <param name="Intervals">The intervals it ran.</param>
public sealed record VersionBilling(string ProjectVersionArn, IReadOnlyList<BillingInterval> Intervals)
{
    /// <summary>Whether the version runs now (its last interval is open).</summary>
    public bool Running => Intervals.Count > 0 && Intervals[^1].End is null;

    /// <summary>Running hours over every interval.</summary>
    public double Hours => Intervals.Sum(i => i.Hours);

    /// <summary>Inference hours over every interval: what the service bills.</summary>
    public double InferenceHours => Intervals.Sum(i => i.InferenceHours);
}
