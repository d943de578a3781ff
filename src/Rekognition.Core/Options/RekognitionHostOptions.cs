namespace Rekognition.Core;

/// <summary>
/// This host among several sharing one catalog and object store (the <c>Rekognition:Host</c> section): its id, the
/// work it takes (<see cref="HostRoles"/>) and how fast jobs and running models move between hosts.
/// </summary>
public sealed class RekognitionHostOptions
{
    /// <summary>
    /// The host's id in the catalog (job and serving leases name it). Default: the machine name and the process id.
    /// Two live hosts must never share one; a host restarted with the same id takes its own jobs back at once.
    /// </summary>
    public string? Id { get; set; }

    /// <summary>
    /// Comma-separated roles: <c>api</c> (answers requests), <c>import</c> (dataset imports, updates, distributions and
    /// copies, model copies), <c>train</c> (trainings), <c>serve</c> (loads running models and answers DetectCustomLabels
    /// for them). Default: all four; e.g. <c>api,serve</c> for a host that answers and serves but never trains.
    /// </summary>
    public string Roles { get; set; } = string.Join(',', HostRoles.All);

    /// <summary>
    /// How long a claimed job (or a served model) stays with its host without a renewal; renewed every third of it. A host
    /// that dies loses its jobs to another host once its leases lapse: an idle host with the job's role wakes when the
    /// earliest lease it could take over lapses, so after about this (not this plus <see cref="PollInterval"/>). Default 30 s.
    /// </summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How often an idle host looks for jobs and for models started or stopped elsewhere, and how long it trusts the model
    /// aliases it read before reading them again. Default 0.5 s.
    /// </summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Whether this host listens for the catalog's change notifications (PostgreSQL <c>LISTEN/NOTIFY</c>, on one connection
    /// of its own) to claim a queued job, load or unload a started or stopped model, and follow a model alias created,
    /// moved or deleted elsewhere at once rather than at the next poll. Polling goes on either way (it catches a missed notification); a catalog without notifications (SQLite)
    /// ignores this. Default true.
    /// </summary>
    public bool ListenForChanges { get; set; } = true;

    /// <summary>
    /// How many jobs this host runs at once; it claims no more until one ends, so a burst of imports queues in the
    /// catalog (where other hosts can take it) instead of crowding this host's threads. Default 8.
    /// </summary>
    public int MaxConcurrentJobs { get; set; } = 8;

    /// <summary>How often a host with the <c>train</c> role checks the projects' retraining policies. Default 1 min.</summary>
    public TimeSpan RetrainingCheckInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The id actually used.</summary>
    public string ResolvedId => string.IsNullOrWhiteSpace(Id) ? $"{Environment.MachineName}-{Environment.ProcessId}" : Id.Trim();

    /// <summary>The roles parsed (lower case, no duplicates); an unknown one is left in for the validator to name.</summary>
    public IReadOnlySet<string> RoleSet =>
        (Roles ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(r => r.ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);

    /// <summary>Whether this host has <paramref name="role"/>.</summary>
    public bool Has(string role) => RoleSet.Contains(role);
}

/// <summary>The roles of <see cref="RekognitionHostOptions.Roles"/>.</summary>
public static class HostRoles
{
    /// <summary>Answers the service's requests.</summary>
    public const string Api = "api";

    /// <summary>Runs dataset imports, updates, distributions and copies, and model copies.</summary>
    public const string Import = "import";

    /// <summary>Runs trainings.</summary>
    public const string Train = "train";

    /// <summary>Loads running models and answers DetectCustomLabels for them.</summary>
    public const string Serve = "serve";

    /// <summary>Every role, the default.</summary>
    public static IReadOnlyList<string> All { get; } = [Api, Import, Train, Serve];
}
