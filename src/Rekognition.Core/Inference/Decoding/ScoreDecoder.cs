using System.Numerics.Tensors;
using Rekognition.Core.Models;

namespace Rekognition.Core.Inference.Decoding;

/// <summary>Reads an image-level model's output row into one prediction per label.</summary>
public static class ScoreDecoder
{
    /// <summary>
    /// Turns one image's output row into probabilities: as they are for <see cref="OutputFormat.Probabilities"/>;
    /// softmax (multi-class) or sigmoid (multi-label) of logits for <see cref="OutputFormat.Logits"/>.
    /// </summary>
    public static LabelPrediction[] Decode(ReadOnlySpan<float> row, ModelKind kind, OutputFormat format)
    {
        var probabilities = new float[row.Length];
        if (format == OutputFormat.Logits)
        {
            if (kind == ModelKind.MultiLabel)
            {
                TensorPrimitives.Sigmoid(row, probabilities);
            }
            else
            {
                TensorPrimitives.SoftMax(row, probabilities);
            }
        }
        else
        {
            row.CopyTo(probabilities);
        }

        var predictions = new LabelPrediction[row.Length];
        for (var i = 0; i < row.Length; i++)
        {
            predictions[i] = new LabelPrediction(i, probabilities[i]);
        }

        return predictions;
    }
}
