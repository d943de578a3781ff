using Rekognition.Core.Inference;
using Rekognition.Core.Models;
using Rekognition.Imaging.Preprocessing;
using Rekognition.Onnx.Detection.Decoding;

namespace Rekognition.Onnx.Hosting;

/// <summary>Reads a unit's outputs after a run into predictions, with Core's decoders for the metadata's output format.</summary>
internal static class PredictionReader
{
    /// <summary>
    /// Every label's score for image-level models; the kept boxes, as ratios of the image, for detectors; of image
    /// <paramref name="slot"/> of the last run's batch.
    /// </summary>
    public static IReadOnlyList<LabelPrediction> Read(InferenceUnit unit, ModelPackageMetadata metadata, InputGeometry geometry, int slot = 0)
    {
        var format = metadata.Output.Format;
        if (format is OutputFormat.Probabilities or OutputFormat.Logits)
        {
            return ScoreDecoder.DecodeRow(unit.Output(0, slot), metadata.Kind, format);
        }

        return DetectionDecoder.Finish(Candidates(unit, metadata, slot), metadata, geometry);
    }

    /// <summary>A detector's candidate boxes in input pixels, before suppression, in the unit's reused list.</summary>
    public static List<DetectionCandidate> Candidates(InferenceUnit unit, ModelPackageMetadata metadata, int slot = 0)
    {
        var candidates = unit.Candidates;
        candidates.Clear();
        var input = metadata.Input;
        if (metadata.Output.Format != OutputFormat.BoxesAndScores)
        {
            YoloDecoder.Decode(unit.Output(0, slot), unit.OutputDims(0), metadata.Output.Format, metadata.Labels.Count,
                input.Width, input.Height, metadata.MinCandidateScore, candidates);
            return candidates;
        }

        // Boxes [K, 4] as (x1, y1, x2, y2) ratios of the input; scores [K, labels].
        var scores = unit.Output(0, slot);
        var boxes = unit.Output(1, slot);
        var labels = metadata.Labels.Count;
        var count = unit.OutputDims(1)[0];
        for (var k = 0; k < count; k++)
        {
            var box = boxes.Slice(k * 4, 4);
            var row = scores.Slice(k * labels, labels);
            for (var c = 0; c < labels; c++)
            {
                if (row[c] >= metadata.MinCandidateScore)
                {
                    candidates.Add(new DetectionCandidate(box[0] * input.Width, box[1] * input.Height, box[2] * input.Width, box[3] * input.Height, row[c], c));
                }
            }
        }

        return candidates;
    }
}
