using System.Text;
using System.Text.Json.Nodes;
using Rekognition.Core.Images;
using Rekognition.Core.Storage;
using Rekognition.Core.Validation;

namespace Rekognition.Core.Tests.Validation;

/// <summary>A temporary buckets root with validators over it.</summary>
internal sealed class ValidatorFixture : IDisposable
{
    public ValidatorFixture(ManifestLimits? limits = null)
    {
        Root = Path.Combine(Path.GetTempPath(), "rk-validation-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(Root, "buckets", "bucket"));
        Options = new RekognitionOptions { StoreRoot = Root };
        Limits = limits ?? new ManifestLimits();
        Resolver = new SourceRefResolver(Options);
        Lines = new ManifestLineValidator(Limits, Resolver, checkImages: false);
        LinesWithImages = new ManifestLineValidator(Limits, Resolver, checkImages: true);
    }

    public string Root { get; }

    public RekognitionOptions Options { get; }

    public ManifestLimits Limits { get; }

    public SourceRefResolver Resolver { get; }

    public ManifestLineValidator Lines { get; }

    public ManifestLineValidator LinesWithImages { get; }

    /// <summary>Writes <paramref name="bytes"/> as s3://bucket/<paramref name="key"/> and returns that source-ref.</summary>
    public string PutImage(string key, byte[] bytes)
    {
        File.WriteAllBytes(Path.Combine(Root, "buckets", "bucket", key), bytes);
        return "s3://bucket/" + key;
    }

    public ValidatedLine One(string line, bool images = false) =>
        (images ? LinesWithImages : Lines).ValidateLine(Encoding.UTF8.GetBytes(line), 1, null);

    public List<ValidatedLine> All(string manifest) => Lines.Validate(new MemoryStream(Encoding.UTF8.GetBytes(manifest)), null).ToList();

    public static JsonObject JsonOf(ValidatedLine line) => (JsonObject)JsonNode.Parse(line.Json.Span)!;

    /// <summary>The codes in the <c>errors</c> (or <c>warnings</c>) array of <paramref name="node"/>.</summary>
    public static string[] Codes(JsonNode? node, string array = "errors") =>
        node?[array] is JsonArray items ? items.Select(i => (string)i!["code"]!).ToArray() : [];

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
