using Rekognition.Core.Model;

namespace Rekognition.Core.Models;

/// <summary>
/// Model versions in and out of a store (not service operations): ONNX model packages imported as trained versions,
/// versions exported as packages, and versions copied from another account's store. Registered by AddRekognitionCustomLabels.
/// </summary>
public interface IModelTransferClient
{
    /// <summary>
    /// Registers an ONNX model that follows the model package contract (an ONNX file and its model.json) as a new,
    /// trained version of a project: it can then be started, used, evaluated and exported like a version trained here.
    /// </summary>
    Task<ImportProjectVersionResponse> ImportProjectVersionAsync(ImportProjectVersionRequest request, CancellationToken cancellationToken = default);

    /// <summary>Copies a version's model package (model.onnx and model.json) into a folder.</summary>
    Task<ExportProjectVersionResponse> ExportProjectVersionAsync(ExportProjectVersionRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// CopyProjectVersion from the store of <paramref name="sourceStore"/>, which stands for the trusting account
    /// (its <see cref="RekognitionOptions.AccountId"/>); this store and account receive the copy. As with the service,
    /// the source project's policies decide: a copy from another account needs an Allow for this account, and a Deny
    /// refuses any copy, same account included.
    /// </summary>
    /// <exception cref="AccessDeniedException">The source project's policies do not let this account copy the version.</exception>
    /// <exception cref="LimitExceededException">The destination project already runs 5 copies.</exception>
    /// <exception cref="ResourceInUseException">The destination project already has a version named VersionName.</exception>
    Task<CopyProjectVersionResponse> CopyProjectVersionFromStoreAsync(
        CopyProjectVersionRequest request, RekognitionCustomLabelsClient sourceStore, CancellationToken cancellationToken = default);
}
