using System.Numerics.Tensors;
using Rekognition.Core.Inference;
using Rekognition.Core.Models;

namespace Rekognition.Onnx.Detection.Decoding;

/// <summary>Reads an image-level model's output row into one prediction per label.</summary>
internal static class ScoreDecoder
{
    /// <summary>
    /// Turns one image's output row into probabilities: as they are for <see cref="OutputFormat.Probabilities"/>;
    /// softmax (multi-class) or sigmoid (multi-label) of logits for <see cref="OutputFormat.Logits"/>.
    /// </summary>
    public static LabelPrediction[] Decode(ReadOnlySpan<float> row, ModelKind kind, OutputFormat format)
    {
        var probabilities = new float[row.Length];
        Probabilities(row, kind, format, probabilities);
        var predictions = new LabelPrediction[row.Length];
        for (var i = 0; i < row.Length; i++)
        {
            predictions[i] = new LabelPrediction(i, probabilities[i]);
        }

        return predictions;
    }

    /// <summary>
    /// As <see cref="Decode"/>, as a list over one array of probabilities: a prediction is made when read, so
    /// a model with many labels (1000 for ImageNet) costs one float per label, not one prediction per label.
    /// </summary>
    public static IReadOnlyList<LabelPrediction> DecodeRow(ReadOnlySpan<float> row, ModelKind kind, OutputFormat format)
    {
        var probabilities = new float[row.Length];
        Probabilities(row, kind, format, probabilities);
        return new ProbabilityRow(probabilities);
    }

    /// <summary>Writes the probabilities of <paramref name="row"/> into <paramref name="destination"/> (as long as the row).</summary>
    public static void Probabilities(ReadOnlySpan<float> row, ModelKind kind, OutputFormat format, Span<float> destination)
    {
        if (format == OutputFormat.Logits)
        {
            if (kind == ModelKind.MultiLabel)
            {
                TensorPrimitives.Sigmoid(row, destination);
            }
            else if (!row.IsEmpty)
            {
                // TensorPrimitives.SoftMax exponentiates the logits as given, so a logit above ~88 overflows to infinity and
                // the row turns to NaN (a confident fine-tuned model reaches 150). Shifted by their maximum, which softmax
                // does not see, every exponent is at most 0.
                TensorPrimitives.Subtract(row, TensorPrimitives.Max(row), destination);
                TensorPrimitives.SoftMax(destination, destination);
            }
        }
        else
        {
            row.CopyTo(destination);
        }
    }

    /// <summary>Label i's prediction is (i, probabilities[i]): a view a caller may keep over an array it refills.</summary>
    internal sealed class ProbabilityRow(float[] probabilities) : IReadOnlyList<LabelPrediction>
    {
        public int Count => probabilities.Length;

        public LabelPrediction this[int index] => new(index, probabilities[index]);

        public IEnumerator<LabelPrediction> GetEnumerator()
        {
            for (var i = 0; i < probabilities.Length; i++)
            {
                yield return new LabelPrediction(i, probabilities[i]);
            }
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
