using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Rekognition.Core.Models;
using Rekognition.Imaging.Decoding;
using Rekognition.Imaging.Preprocessing;
using Rekognition.Onnx.Ir;

namespace Rekognition.Training.Data;

/// <summary>
/// Runs a feature network (a backbone cut at its pooled features) over image files once: images are
/// decoded and preprocessed on worker threads a batch at a time, and the features kept as one [images, features] array.
/// </summary>
internal sealed class FeatureExtractor : IDisposable
{
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly string _input;
    private readonly string _output;
    private readonly TensorPreprocessor _preprocessor;
    private readonly IImageDecoder _decoder;

    /// <summary>
    /// Opens the feature network; <paramref name="spec"/> describes its input; images are decoded by <paramref name="decoder"/>
    /// (<see cref="ImageDecoderFactory.Default"/>'s when null).
    /// </summary>
    public FeatureExtractor(ModelProto featureModel, ModelInputSpec spec, int threads = 2, IImageDecoder? decoder = null)
    {
        ArgumentNullException.ThrowIfNull(featureModel);
        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL, IntraOpNumThreads = threads };
        _session = new InferenceSession(featureModel.ToByteArray(), options);
        var initializers = new HashSet<string>(featureModel.Graph.Initializer.Select(i => i.Name), StringComparer.Ordinal);
        _input = featureModel.Graph.Input.First(i => !initializers.Contains(i.Name)).Name;
        _output = featureModel.Graph.Output[0].Name;
        _preprocessor = new TensorPreprocessor(spec);
        _decoder = decoder ?? ImageDecoderFactory.Default.Decoder;
    }

    /// <summary>The shape of one image's output (features, or [C, H, W] for an activation), known after the first batch.</summary>
    public long[] SampleShape { get; private set; } = Array.Empty<long>();

    /// <summary>
    /// Features of every image, row-major [images, features]; <paramref name="open"/> opens an image file (null: plainly).
    /// With <paramref name="mirroredCopies"/>, twice the rows: the images, then the same images flipped left to right in
    /// the same order. Each image is decoded once; its copy is the preprocessed tensor flipped (the same as preprocessing
    /// the flipped image: the crop is centred), run in the same batch.
    /// </summary>
    public float[] Extract(IReadOnlyList<string> paths, CancellationToken cancellationToken, int batch = 16, Func<string, Stream>? open = null, bool mirroredCopies = false)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var per = _preprocessor.ElementsPerImage;
        var spec = _preprocessor.Spec;
        var target = TensorPreprocessor.DecodeTarget(spec);
        var copies = mirroredCopies ? 2 : 1;
        var buffer = new float[copies * batch * per];
        float[]? features = null;
        for (var start = 0; start < paths.Count; start += batch)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var n = Math.Min(batch, paths.Count - start);
            Parallel.For(0, n, i =>
            {
                using var image = _decoder.Decode(ImageFiles.ReadAll(paths[start + i], open), target.Width, target.Height);
                var slot = buffer.AsSpan(i * per, per);
                _preprocessor.Write(image, slot);
                if (mirroredCopies)
                {
                    var mirror = buffer.AsSpan((n + i) * per, per);
                    slot.CopyTo(mirror);
                    MirrorRows(mirror, spec.Width);
                }
            });
            using var input = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, buffer.AsMemory(0, copies * n * per), new long[] { copies * n, 3, spec.Height, spec.Width });
            using var outputs = _session.Run(_runOptions, new[] { _input }, new[] { input }, new[] { _output });
            var values = outputs[0].GetTensorDataAsSpan<float>();
            SampleShape = outputs[0].GetTensorTypeAndShape().Shape[1..];
            var width = values.Length / (copies * n);
            features ??= new float[copies * paths.Count * width];
            values[..(n * width)].CopyTo(features.AsSpan(start * width));
            if (mirroredCopies)
            {
                values[(n * width)..].CopyTo(features.AsSpan((paths.Count + start) * width));
            }
        }

        return features ?? Array.Empty<float>();
    }

    /// <summary>Reverses every row of a planar image (each channel's rows of <paramref name="width"/> floats).</summary>
    internal static void MirrorRows(Span<float> planes, int width)
    {
        for (var row = 0; row + width <= planes.Length; row += width)
        {
            planes.Slice(row, width).Reverse();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _runOptions.Dispose();
        _session.Dispose();
    }
}
