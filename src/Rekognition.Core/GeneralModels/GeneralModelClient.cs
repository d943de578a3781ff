using Rekognition.Core.Model;
using Rekognition.Core.Models;
using Rekognition.Core.Requests;
using Rekognition.Core.Services;

namespace Rekognition.Core.GeneralModels;

/// <summary>General models: registered through the import client, asked through the AWS-shaped client.</summary>
internal sealed class GeneralModelClient(
    IAmazonRekognition client, IModelTransferClient transfer, RekognitionOptions options, ResourceLookup lookup) : IGeneralModelClient
{
    /// <summary>Most versions one ClassifyWithModels call asks.</summary>
    public const int MaxModelsPerClassification = 10;

    /// <inheritdoc />
    public async Task<ImportProjectVersionResponse> RegisterGeneralModelAsync(RegisterGeneralModelRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var modelPath = RequestValidation.Required(request.ModelPath, "ModelPath");
        var inputName = string.IsNullOrEmpty(request.InputName)
            ? throw new InvalidParameterException("InputName is required: the name of the ONNX graph's image input (Netron shows the graph's inputs and outputs).")
            : request.InputName;
        var outputName = string.IsNullOrEmpty(request.OutputName)
            ? throw new InvalidParameterException("OutputName is required: the name of the ONNX graph's scores output (Netron shows the graph's inputs and outputs).")
            : request.OutputName;
        if (request.OutputFormat is not (OutputFormat.Logits or OutputFormat.Probabilities))
        {
            throw new InvalidParameterException($"OutputFormat must be Logits or Probabilities for a classifier (got {request.OutputFormat}).");
        }

        if (request.ClassNames.Count > 0 == request.ClassNamesPath is not null)
        {
            throw new InvalidParameterException("Give the class names either as ClassNames or as ClassNamesPath (one per line), not both and not neither.");
        }

        if (request.ClassNamesPath is { } path && !File.Exists(path))
        {
            throw new InvalidParameterException($"ClassNamesPath {Path.GetFullPath(path)} does not exist.");
        }

        var labels = ClassNameList.Read(request.ClassNamesPath is { } file ? File.ReadLines(file) : request.ClassNames, options.Limits.MaxLabelNameLength);
        if (request.DefaultThreshold is < 0 or > 1 || float.IsNaN(request.DefaultThreshold))
        {
            throw new InvalidParameterException($"DefaultThreshold must be between 0 and 1 (got {request.DefaultThreshold}).");
        }

        var metadata = new ModelPackageMetadata
        {
            Kind = request.MultiLabel ? ModelKind.MultiLabel : ModelKind.MultiClass,
            Labels = labels,
            Input = new ModelInputSpec
            {
                Name = inputName,
                Width = request.InputWidth,
                Height = request.InputHeight,
                Layout = request.Layout,
                Scale = request.Scale,
                Mean = request.Mean,
                Std = request.Std,
            },
            Output = new ModelOutputSpec { Format = request.OutputFormat, Scores = outputName },
            DefaultThreshold = request.DefaultThreshold,
            Backbone = Path.GetFileName(modelPath),
        };
        metadata.Training["GeneralModel"] = "true";

        // The package is checked and copied into the store by the import; the metadata file is only passed through.
        var metadataPath = Path.Combine(Path.GetTempPath(), $"rekognition-general-{Guid.NewGuid():N}.json");
        try
        {
            await using (var stream = File.Create(metadataPath))
            {
                await System.Text.Json.JsonSerializer.SerializeAsync(stream, metadata, ModelPackageJsonContext.Default.ModelPackageMetadata, cancellationToken).ConfigureAwait(false);
            }

            return await transfer.ImportProjectVersionAsync(new ImportProjectVersionRequest
            {
                ProjectArn = request.ProjectArn,
                VersionName = request.VersionName,
                ModelPath = modelPath,
                MetadataPath = metadataPath,
                VersionDescription = request.VersionDescription ?? $"General model {Path.GetFileName(modelPath)} ({labels.Count} classes)",
                Tags = request.Tags,
            }, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            File.Delete(metadataPath);
        }
    }

    /// <inheritdoc />
    public async Task<ClassifyWithModelsResponse> ClassifyWithModelsAsync(ClassifyWithModelsRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var image = RequestValidation.Required(request.Image, "Image");
        if (request.ProjectVersionArns.Count is 0 or > MaxModelsPerClassification)
        {
            throw new InvalidParameterException($"ProjectVersionArns must name 1 to {MaxModelsPerClassification} model versions (got {request.ProjectVersionArns.Count}).");
        }

        if (request.ProjectVersionArns.Distinct(StringComparer.Ordinal).Count() != request.ProjectVersionArns.Count)
        {
            throw new InvalidParameterException("ProjectVersionArns names a version twice; name each once.");
        }

        foreach (var arn in request.ProjectVersionArns)
        {
            var version = lookup.Version(arn);
            if (version.Status != ProjectVersionStatus.RUNNING.Value)
            {
                throw new ResourceNotReadyException($"The model {arn} is {version.Status}, not RUNNING. Start it with StartProjectVersion, or leave it out.");
            }
        }

        // One buffer for every model: DetectCustomLabels reads the bytes without consuming them.
        var shared = image.Bytes is { } bytes ? new Image { Bytes = ReadOnlyCopy(bytes) } : image;
        var answers = await Task.WhenAll(request.ProjectVersionArns.Select(arn => client.DetectCustomLabelsAsync(new DetectCustomLabelsRequest
        {
            ProjectVersionArn = arn,
            Image = shared,
            MinConfidence = request.MinConfidence,
            MaxResults = request.MaxResults,
        }, cancellationToken))).ConfigureAwait(false);
        var response = new ClassifyWithModelsResponse();
        for (var i = 0; i < answers.Length; i++)
        {
            response.Models.Add(new ModelLabels(request.ProjectVersionArns[i], answers[i].CustomLabels));
        }

        return response;
    }

    private static MemoryStream ReadOnlyCopy(MemoryStream bytes)
    {
        var copy = bytes.ToArray();
        return new MemoryStream(copy, 0, copy.Length, writable: false, publiclyVisible: true);
    }
}
