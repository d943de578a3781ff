using Rekognition.Core.Model;

namespace Rekognition.Core.GeneralModels;

/// <summary>
/// General models and several models in one call (not service operations): an ImageNet-style ONNX classifier
/// registered with its class list, and one image classified by several versions. Registered by AddRekognitionCustomLabels.
/// </summary>
public interface IGeneralModelClient
{
    /// <summary>
    /// Registers an ONNX image classifier trained elsewhere as a version of a project: writes its model.json
    /// (labels, input size and normalisation, output) and imports it as ImportProjectVersion does. Start it and
    /// call DetectCustomLabels as with any version.
    /// </summary>
    /// <exception cref="InvalidParameterException">Class names, tensor names or input settings are missing or wrong (the inference runtime checks them against the graph).</exception>
    Task<ImportProjectVersionResponse> RegisterGeneralModelAsync(RegisterGeneralModelRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Classifies one image with several RUNNING versions at once (DetectCustomLabels on each, in parallel; at most 10)
    /// and returns each version's labels, grouped per model in the order asked. The threshold applies to every model.
    /// </summary>
    /// <exception cref="ResourceNotReadyException">A version is not RUNNING; no model is asked then.</exception>
    Task<ClassifyWithModelsResponse> ClassifyWithModelsAsync(ClassifyWithModelsRequest request, CancellationToken cancellationToken = default);
}
