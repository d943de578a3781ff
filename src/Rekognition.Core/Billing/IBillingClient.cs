namespace Rekognition.Core.Billing;

/// <summary>
/// What the service would bill for running models (not a service operation; its console's billing shows it): the
/// intervals each version ran, each as running hours times inference units. Registered by AddRekognitionCustomLabels.
/// </summary>
public interface IBillingClient
{
    /// <summary>The intervals one version ran, oldest first, with their inference hours; an interval still open counts until now.</summary>
    /// <exception cref="Model.ResourceNotFoundException">There is no such version.</exception>
    Task<VersionBilling> GetVersionBillingAsync(string projectVersionArn, CancellationToken cancellationToken = default);

    /// <summary>Every version of a project that ran, deleted versions included, each with its intervals.</summary>
    /// <exception cref="Model.ResourceNotFoundException">There is no such project.</exception>
    Task<IReadOnlyList<VersionBilling>> GetProjectBillingAsync(string projectArn, CancellationToken cancellationToken = default);
}
