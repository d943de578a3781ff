using Rekognition.Core.Catalog;
using Rekognition.Core.Services;

namespace Rekognition.Core.Billing;

/// <summary>Reads the intervals the hosts record (start, stop, change of units) and prices them in inference hours.</summary>
internal sealed class BillingClient(IBillingCatalog billing, ResourceLookup lookup, StoreClock clock) : IBillingClient
{
    private const double MsPerHour = 3_600_000d;

    /// <inheritdoc />
    public Task<VersionBilling> GetVersionBillingAsync(string projectVersionArn, CancellationToken cancellationToken = default)
    {
        var version = lookup.Version(projectVersionArn);
        var now = clock.NowMs();
        return Task.FromResult(new VersionBilling(version.Arn, [.. billing.ListForVersion(version.Id).Select(r => Interval(r, now))]));
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<VersionBilling>> GetProjectBillingAsync(string projectArn, CancellationToken cancellationToken = default)
    {
        var project = lookup.Project(projectArn);
        var now = clock.NowMs();
        IReadOnlyList<VersionBilling> result = [.. billing.ListForProject(project.Id)
            .GroupBy(r => r.VersionId)
            .Select(g => new VersionBilling(g.First().VersionArn, [.. g.Select(r => Interval(r, now))]))];
        return Task.FromResult(result);
    }

    private static BillingInterval Interval(BillingIntervalRecord record, long nowMs) =>
        new(StoreClock.FromMs(record.StartMs), record.EndMs is { } end ? StoreClock.FromMs(end) : null, record.Units,
            Math.Max(0, (record.EndMs ?? nowMs) - record.StartMs) / MsPerHour);
}
