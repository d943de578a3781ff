using System.Text.Json;
using Rekognition.Core.Model;
using Rekognition.Core.Services;
using Rekognition.Core.Storage;

namespace Rekognition.Core.EvaluationViews;

/// <summary>Finds the summary and snapshot files the version's catalog row names and reads them beneath the buckets root.</summary>
internal sealed class EvaluationViewClient(ResourceLookup lookup, SourceRefResolver resolver, Store store, IServiceProvider services) : IEvaluationViewClient
{
    /// <inheritdoc />
    public async Task<IReadOnlyList<LabelCurve>> GetPrecisionRecallCurvesAsync(string projectVersionArn, CancellationToken cancellationToken = default)
    {
        var evaluation = await GetEvaluationAsync(projectVersionArn, cancellationToken).ConfigureAwait(false);
        var version = lookup.Version(projectVersionArn);

        // A version's package and test set never change: its curves are computed once and kept beside the package.
        var kept = StoreLayout.PrecisionRecallCurves(version.ArtifactKey!);
        var stream = await store.Objects.OpenReadAsync(kept, cancellationToken).ConfigureAwait(false);
        if (stream is not null)
        {
            await using (stream.ConfigureAwait(false))
            {
                var read = await JsonSerializer.DeserializeAsync(stream, CurveJsonContext.Default.ListLabelCurve, cancellationToken).ConfigureAwait(false);
                if (read is not null)
                {
                    return read;
                }
            }
        }

        var curves = await ComputeCurvesAsync(version, evaluation, cancellationToken).ConfigureAwait(false);
        await store.Objects.PutAsync(kept, target => JsonSerializer.SerializeAsync(target, curves, CurveJsonContext.Default.ListLabelCurve, cancellationToken), cancellationToken)
            .ConfigureAwait(false);
        return curves;
    }

    private async Task<List<LabelCurve>> ComputeCurvesAsync(Catalog.VersionRecord version, VersionEvaluation evaluation, CancellationToken cancellationToken)
    {
        var runtime = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetService<Inference.IModelRuntime>(services)
            ?? throw new InvalidOperationException("No model runtime is registered: add AddRekognitionOnnxRuntime() (Rekognition.Onnx) to run models.");
        var package = await store.LoadModelPackageAsync(version.ArtifactKey!, cancellationToken).ConfigureAwait(false);
        var labels = package.Metadata.Labels;
        var scores = labels.Select(_ => new List<(double Score, bool Truth)>()).ToArray();
        var detection = package.Metadata.Kind == Models.ModelKind.Detection;
        var groundTruthBoxes = new int[labels.Count];
        var host = await runtime.StartAsync(package, new Inference.InferenceUnits(1, 1), cancellationToken).ConfigureAwait(false);
        await using (host.ConfigureAwait(false))
        {
            foreach (var image in evaluation.Images)
            {
                if ((await SourceContent.ReadAsync(resolver, image.SourceRef, int.MaxValue, cancellationToken).ConfigureAwait(false)).Bytes is not { } bytes)
                {
                    continue; // an image gone since training is left out of the curve
                }

                var predictions = await host.DetectAsync(bytes, cancellationToken).ConfigureAwait(false);
                if (detection)
                {
                    // A detector's curve is at box level: each box is a true or false positive, each missed box lowers recall.
                    var size = Images.ImageHeaderProbe.Probe(bytes);
                    BoxMatching.Add(image, predictions, size.Width, size.Height, labels, scores, groundTruthBoxes);
                    continue;
                }

                var best = new double[labels.Count];
                foreach (var prediction in predictions)
                {
                    best[prediction.LabelIndex] = Math.Max(best[prediction.LabelIndex], prediction.Score);
                }

                for (var i = 0; i < labels.Count; i++)
                {
                    scores[i].Add((best[i], image.GroundTruth.Contains(labels[i])));
                }
            }
        }

        return [.. labels.Select((l, i) => detection ? PrecisionRecallCurves.Of(l, scores[i], groundTruthBoxes[i]) : PrecisionRecallCurves.Of(l, scores[i]))];
    }

    private const string Details = "rekognition-custom-labels-evaluation-details";

    /// <inheritdoc />
    public Task<VersionEvaluation> GetEvaluationAsync(string projectVersionArn, CancellationToken cancellationToken = default)
    {
        var version = lookup.Version(projectVersionArn);
        var summary = version.Details.EvaluationResult?.Summary?.S3Object
            ?? throw new ResourceNotReadyException($"The version is {version.Status}; it has no evaluation until its training completes.");
        using var summaryDocument = JsonDocument.Parse(Read(summary));
        var root = summaryDocument.RootElement;
        var aggregate = root.GetProperty("AggregatedEvaluationResults").GetProperty("Metrics");
        var labels = root.GetProperty("LabelEvaluationResults").EnumerateArray().Select(l =>
        {
            var m = l.GetProperty("Metrics");
            return new LabelFigures(l.GetProperty("Label").GetString()!, l.GetProperty("NumberOfTestingImages").GetInt32(),
                m.GetProperty("Threshold").GetDouble(), m.GetProperty("Precision").GetDouble(), m.GetProperty("Recall").GetDouble(), m.GetProperty("F1Score").GetDouble());
        }).ToList();

        var images = new List<ImageEvaluation>();
        if (version.Details.TestingDataResult?.Output?.Assets.FirstOrDefault()?.GroundTruthManifest?.S3Object is { } snapshot)
        {
            foreach (var line in System.Text.Encoding.UTF8.GetString(Read(snapshot)).Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                using var document = JsonDocument.Parse(line);
                images.Add(Image(document.RootElement));
            }
        }

        return Task.FromResult(new VersionEvaluation(aggregate.GetProperty("Precision").GetDouble(), aggregate.GetProperty("Recall").GetDouble(), aggregate.GetProperty("F1Score").GetDouble(), labels, images)
        {
            MeanAveragePrecision = root.TryGetProperty("CocoExactEvaluationResults", out var coco) && coco.ValueKind == JsonValueKind.Object ? coco.GetProperty("AP").GetDouble() : null,
        });
    }

    private static ImageEvaluation Image(JsonElement line)
    {
        var truth = new List<string>();
        var truthBoxes = new List<(string, int[])>();
        var outcomes = new List<ImageOutcome>();
        foreach (var property in line.EnumerateObject())
        {
            if (property.Name.EndsWith("-metadata", StringComparison.Ordinal) || !line.TryGetProperty(property.Name + "-metadata", out var metadata) || metadata.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            var classMap = metadata.TryGetProperty("class-map", out var map) ? map : default;
            if (property.Value.ValueKind == JsonValueKind.Object && property.Value.TryGetProperty("annotations", out var annotations))
            {
                var objects = metadata.TryGetProperty("objects", out var o) ? o.EnumerateArray().ToList() : [];
                var i = 0;
                foreach (var annotation in annotations.EnumerateArray())
                {
                    var label = classMap.ValueKind == JsonValueKind.Object && classMap.TryGetProperty(annotation.GetProperty("class_id").GetRawText().Trim('"'), out var name) ? name.GetString()! : "?";
                    int[] box = [Int(annotation, "left"), Int(annotation, "top"), Int(annotation, "width"), Int(annotation, "height")];
                    if (i < objects.Count && objects[i].TryGetProperty(Details, out var details))
                    {
                        outcomes.Add(new ImageOutcome(label, Outcome(details), objects[i].GetProperty("confidence").GetDouble(), box));
                    }
                    else
                    {
                        truthBoxes.Add((label, box));
                        truth.Add(label);
                    }

                    i++;
                }
            }
            else if (metadata.TryGetProperty("class-name", out var className))
            {
                if (metadata.TryGetProperty(Details, out var details))
                {
                    outcomes.Add(new ImageOutcome(className.GetString()!, Outcome(details), metadata.TryGetProperty("confidence", out var c) ? c.GetDouble() : 0, null));
                }
                else
                {
                    truth.Add(className.GetString()!);
                }
            }
        }

        return new ImageEvaluation(line.GetProperty("source-ref").GetString()!, truth.Distinct(StringComparer.Ordinal).ToList(), truthBoxes, outcomes);
    }

    private static string Outcome(JsonElement details) =>
        Is(details, "is-true-positive") ? "TRUE_POSITIVE"
        : Is(details, "is-false-positive") ? "FALSE_POSITIVE"
        : Is(details, "is-false-negative") ? "FALSE_NEGATIVE"
        : "TRUE_NEGATIVE";

    private static bool Is(JsonElement details, string name) => details.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;

    private static int Int(JsonElement element, string name) => element.TryGetProperty(name, out var v) ? (int)Math.Round(v.GetDouble()) : 0;

    private byte[] Read(S3Object location)
    {
        return SourceContent.Read(resolver, $"s3://{location.Bucket}/{location.Name}").Bytes
               ?? throw new ResourceNotReadyException($"The evaluation file s3://{location.Bucket}/{location.Name} cannot be read.");
    }
}

/// <summary>The kept precision-recall curves' JSON.</summary>
[System.Text.Json.Serialization.JsonSerializable(typeof(List<LabelCurve>))]
internal sealed partial class CurveJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
