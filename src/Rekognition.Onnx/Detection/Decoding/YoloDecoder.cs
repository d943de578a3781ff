using System.Collections.Immutable;
using Rekognition.Core.Models;

namespace Rekognition.Onnx.Detection.Decoding;

/// <summary>
/// Reads the single output tensor of YOLO-family exports into candidate boxes (input pixels, one per
/// label whose score reaches the floor):
/// YOLOX <c>[1, anchors, 5 + labels]</c> with grid-relative centres and log sizes over strides 8/16/32;
/// YOLOv5 <c>[1, anchors, 5 + labels]</c> already in pixels with objectness;
/// YOLOv8 <c>[1, 4 + labels, anchors]</c> in pixels without objectness.
/// </summary>
internal static class YoloDecoder
{
    /// <summary>The strides of a YOLOX head's three grids, finest first (the validator counts anchors from them too).</summary>
    internal static readonly ImmutableArray<int> YoloXStrides = [8, 16, 32];

    /// <summary>Appends the candidates of one image's output to <paramref name="candidates"/>.</summary>
    /// <param name="output">The output tensor's data for one image.</param>
    /// <param name="dimensions">Its shape without the batch dimension (2 values).</param>
    /// <param name="format">One of the YOLO formats.</param>
    /// <param name="labelCount">How many labels the model has.</param>
    /// <param name="inputWidth">Model input width, px.</param>
    /// <param name="inputHeight">Model input height, px.</param>
    /// <param name="minScore">Candidates below this score are dropped.</param>
    /// <param name="candidates">Receives the candidates.</param>
    public static void Decode(ReadOnlySpan<float> output, ReadOnlySpan<int> dimensions, OutputFormat format, int labelCount,
        int inputWidth, int inputHeight, float minScore, List<DetectionCandidate> candidates)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        if (dimensions.Length != 2)
        {
            throw new ArgumentException("Expected the output's shape without its batch dimension (2 values).", nameof(dimensions));
        }

        switch (format)
        {
            case OutputFormat.YoloX:
                DecodeRows(output, dimensions, labelCount, minScore, candidates, hasObjectness: true, grid: YoloXGrid(inputWidth, inputHeight, dimensions[0]));
                break;
            case OutputFormat.YoloV5:
                DecodeRows(output, dimensions, labelCount, minScore, candidates, hasObjectness: true, grid: null);
                break;
            case OutputFormat.YoloV8:
                DecodeColumns(output, dimensions, labelCount, minScore, candidates);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(format), format, "Not a YOLO output format.");
        }
    }

    // Rows of [cx, cy, w, h, obj?, scores...]; with a grid, centres are cell offsets and sizes log-scaled.
    private static void DecodeRows(ReadOnlySpan<float> output, ReadOnlySpan<int> dims, int labelCount, float minScore,
        List<DetectionCandidate> candidates, bool hasObjectness, (int X, int Y, int Stride)[]? grid)
    {
        var anchors = dims[0];
        var width = dims[1];
        var first = hasObjectness ? 5 : 4;
        if (width != first + labelCount)
        {
            throw new InvalidOperationException($"The model output has {width} values per box; {first + labelCount} were expected for {labelCount} labels.");
        }

        for (var a = 0; a < anchors; a++)
        {
            var row = output.Slice(a * width, width);
            var objectness = hasObjectness ? row[4] : 1f;
            if (objectness < minScore)
            {
                continue;
            }

            float cx = row[0], cy = row[1], w = row[2], h = row[3];
            if (grid is not null)
            {
                var (gx, gy, stride) = grid[a];
                cx = (cx + gx) * stride;
                cy = (cy + gy) * stride;
                w = MathF.Exp(w) * stride;
                h = MathF.Exp(h) * stride;
            }

            for (var c = 0; c < labelCount; c++)
            {
                var score = objectness * row[first + c];
                if (score >= minScore)
                {
                    candidates.Add(new DetectionCandidate(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2, score, c));
                }
            }
        }
    }

    // Columns: [4 + labels, anchors], box first then class scores, no objectness.
    private static void DecodeColumns(ReadOnlySpan<float> output, ReadOnlySpan<int> dims, int labelCount, float minScore, List<DetectionCandidate> candidates)
    {
        var rows = dims[0];
        var anchors = dims[1];
        if (rows != 4 + labelCount)
        {
            throw new InvalidOperationException($"The model output has {rows} rows; {4 + labelCount} were expected for {labelCount} labels.");
        }

        for (var a = 0; a < anchors; a++)
        {
            for (var c = 0; c < labelCount; c++)
            {
                var score = output[(4 + c) * anchors + a];
                if (score < minScore)
                {
                    continue;
                }

                float cx = output[a], cy = output[anchors + a], w = output[2 * anchors + a], h = output[3 * anchors + a];
                candidates.Add(new DetectionCandidate(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2, score, c));
            }
        }
    }

    private static (int X, int Y, int Stride)[] YoloXGrid(int inputWidth, int inputHeight, int anchors)
    {
        var grid = new List<(int, int, int)>(anchors);
        foreach (var stride in YoloXStrides)
        {
            int gh = inputHeight / stride, gw = inputWidth / stride;
            for (var y = 0; y < gh; y++)
            {
                for (var x = 0; x < gw; x++)
                {
                    grid.Add((x, y, stride));
                }
            }
        }

        if (grid.Count != anchors)
        {
            throw new InvalidOperationException($"A YOLOX output for a {inputWidth}x{inputHeight} input has {grid.Count} boxes over strides 8/16/32; this one has {anchors}.");
        }

        return grid.ToArray();
    }
}
