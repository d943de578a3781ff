namespace Rekognition.Core.Services.Jobs;

/// <summary>
/// This host's id in the catalog, fixed for the life of one client: <see cref="RekognitionHostOptions.Id"/>, or by default the machine
/// name and process id, with a counter for each further client of one process (so two clients of one process on one store
/// never hold each other's leases).
/// </summary>
internal sealed class HostIdentity
{
    private static int s_instances;

    public HostIdentity(RekognitionOptions options)
    {
        var configured = options.Host.Id;
        if (!string.IsNullOrWhiteSpace(configured))
        {
            Id = configured.Trim();
            return;
        }

        var instance = Interlocked.Increment(ref s_instances);
        Id = instance == 1 ? options.Host.ResolvedId : $"{options.Host.ResolvedId}-{instance}";
    }

    /// <summary>The id leases name.</summary>
    public string Id { get; }
}
