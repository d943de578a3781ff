using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Rekognition.Core;
using Rekognition.Core.Storage;
using Rekognition.Core.Validation;

namespace Rekognition.Benchmarks.Validation;

/// <summary>
/// Parsing and validating a 250,000-line mixed manifest (classification, multi-label, boxes; image checks off)
/// against a plain deserialize-each-line baseline. Target: at most 2 s, peak working set under 300 MB
/// (printed by GlobalCleanup; each benchmark runs in its own process).
/// </summary>
[MemoryDiagnoser]
public class ManifestValidationBenchmarks
{
    private const int Lines = 250_000;
    private string _path = null!;
    private ManifestLineValidator _validator = null!;

    [GlobalSetup]
    public void Setup()
    {
        _path = Path.Combine(Path.GetTempPath(), "rk-bench-" + Guid.NewGuid().ToString("N") + ".manifest");
        using (var writer = new StreamWriter(_path, false, new UTF8Encoding(false)))
        {
            var random = new Random(42);
            for (var i = 0; i < Lines; i++)
            {
                writer.Write(MakeLine(i, random));
                writer.Write('\n');
            }
        }

        var options = new RekognitionOptions { StoreRoot = Path.GetTempPath() };
        _validator = new ManifestLineValidator(new ManifestLimits(), new SourceRefResolver(options), checkImages: false);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        using var process = Process.GetCurrentProcess();
        Console.WriteLine($"// Peak working set: {process.PeakWorkingSet64 / (1024.0 * 1024.0):F1} MB; manifest {new FileInfo(_path).Length / (1024.0 * 1024.0):F1} MB");
        File.Delete(_path);
    }

    /// <summary>The naive way: each line deserialized into objects, then walked for its labels.</summary>
    [Benchmark(Baseline = true)]
    public int DeserializeEachLine()
    {
        var labels = 0;
        using var reader = new StreamReader(_path, Encoding.UTF8);
        while (reader.ReadLine() is { } line)
        {
            var fields = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(line)!;
            foreach (var (key, value) in fields)
            {
                if (!key.EndsWith("-metadata", StringComparison.Ordinal))
                {
                    continue;
                }

                if (value.TryGetProperty("class-name", out _))
                {
                    labels++;
                }
                else if (value.TryGetProperty("class-map", out var map))
                {
                    labels += map.EnumerateObject().Count();
                }
            }
        }

        return labels;
    }

    [Benchmark]
    public int Validate()
    {
        var labels = 0;
        using var stream = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        foreach (var line in _validator.Validate(stream, null))
        {
            labels += line.Labels.Count;
        }

        return labels;
    }

    private static string MakeLine(int i, Random random)
    {
        var date = "2024-05-02T08:15:30.125";
        switch (i % 10)
        {
            case < 4:
                return string.Create(CultureInfo.InvariantCulture,
                    $"{{\"source-ref\":\"s3://bucket/img/{i}.jpg\",\"room\":{i % 7},\"room-metadata\":{{\"confidence\":1,\"job-name\":\"labeling-job/room\",\"class-name\":\"room_{i % 7}\",\"human-annotated\":\"yes\",\"creation-date\":\"{date}\",\"type\":\"groundtruth/image-classification\"}}}}");
            case < 7:
                var sb = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"{{\"source-ref\":\"s3://bucket/img/{i}.jpg\""));
                for (var k = 0; k < 3; k++)
                {
                    sb.Append(CultureInfo.InvariantCulture, $",\"flower{k}\":{k},\"flower{k}-metadata\":{{\"class-name\":\"flower_{(i + k) % 12}\",\"confidence\":0.9,\"type\":\"groundtruth/image-classification\",\"job-name\":\"flowers\",\"human-annotated\":\"yes\",\"creation-date\":\"{date}\"}}");
                }

                return sb.Append('}').ToString();
            default:
                var boxes = 1 + random.Next(5);
                var annotations = string.Join(",", Enumerable.Range(0, boxes).Select(b => string.Create(CultureInfo.InvariantCulture,
                    $"{{\"class_id\":{b % 3},\"top\":{10 + b * 20},\"left\":{15.5 + b * 30},\"width\":{64 + b},\"height\":{48 + b}}}")));
                var objects = string.Join(",", Enumerable.Repeat("{\"confidence\":0.97}", boxes));
                return string.Create(CultureInfo.InvariantCulture,
                    $"{{\"source-ref\":\"s3://bucket/img/{i}.png\",\"bounding-box\":{{\"image_size\":[{{\"width\":1024,\"height\":768,\"depth\":3}}],\"annotations\":[{annotations}]}},\"bounding-box-metadata\":{{\"objects\":[{objects}],\"class-map\":{{\"0\":\"comparator\",\"1\":\"ir_led\",\"2\":\"resistor\"}},\"type\":\"groundtruth/object-detection\",\"human-annotated\":\"yes\",\"creation-date\":\"{date}\",\"job-name\":\"pcb-boxes\"}}}}");
        }
    }
}
