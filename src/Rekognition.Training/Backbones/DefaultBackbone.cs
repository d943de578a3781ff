using Rekognition.Training.Trainers;

namespace Rekognition.Training.Backbones;

/// <summary>
/// The backbone new models are trained on when none is configured: the ImageNet-pretrained ResNet18 of the NuGet package
/// <see cref="PackageId"/> (MIT), whose build props copy <c>DnnImageModels/</c> into the app's output folder.
/// <c>Rekognition:Training:Backbone=none</c> trains the built-in networks from scratch instead.
/// </summary>
internal static class DefaultBackbone
{
    /// <summary>The NuGet package that ships the model.</summary>
    public const string PackageId = "Microsoft.ML.DnnImageFeaturizer.ResNet18";

    /// <summary>The model's path inside the app's output folder.</summary>
    public const string RelativePath = "DnnImageModels/ResNet18Onnx/ResNet18.onnx";

    /// <summary>
    /// The transfer settings classifiers train the default backbone with (when the trainer's options name none): the
    /// head with the last residual block fine-tuned (its batch-norm statistics frozen), each training image also seen
    /// mirrored. Chosen by 4-fold cross-validation on training photos only (hymenoptera train and a generated 4-label set;
    /// benchmarks' <c>resnet18-cv</c>), mean of the two sets: the head alone 95.5 % and 92.5 % (94.0), one block 94.7 % and
    /// 96.3 % (95.5), one block with mirrored copies 94.7 % and 97.5 % (96.1), two blocks with mirrored copies 93.9 % and
    /// 97.9 % (95.9). The copies double feature extraction at training, not inference; the from-scratch networks flip
    /// their training images too.
    /// </summary>
    public static TransferLearningOptions Transfer { get; } = new() { FineTuneBlocks = 1, MirroredCopies = true };

    /// <summary>The model in the running app's folder.</summary>
    public static string Path => System.IO.Path.Combine(AppContext.BaseDirectory, RelativePath);

    /// <summary>
    /// The model's path under <paramref name="baseDirectory"/> (the app's folder when null), checked with the preprocessing
    /// beside it; a missing file (an app that trimmed it) throws, naming the package.
    /// </summary>
    /// <exception cref="FileNotFoundException">A file of the package is missing.</exception>
    public static string Require(string? baseDirectory = null)
    {
        var root = baseDirectory ?? AppContext.BaseDirectory;
        var model = System.IO.Path.Combine(root, RelativePath);
        var preprocessing = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(System.IO.Path.GetDirectoryName(model)!)!, BackboneFile.ResNetPreprocessing);
        foreach (var file in new[] { model, preprocessing })
        {
            if (!File.Exists(file))
            {
                throw new FileNotFoundException(
                    $"The default training backbone's file {System.IO.Path.GetRelativePath(root, file)} is missing from the app's folder. It comes from the NuGet package " +
                    $"{PackageId}, whose build props copy DnnImageModels/ to the output: reference the package (Rekognition.Training does) and keep that folder " +
                    "when publishing, or set Rekognition:Training:Backbone to another ONNX model, or to none to train from scratch.", file);
            }
        }

        return model;
    }
}
