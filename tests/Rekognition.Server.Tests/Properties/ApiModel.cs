using System.Text.Json;

namespace Rekognition.Server.Tests.Properties;

/// <summary>
/// The service's API model (<c>shared/spec/rekognition-api/custom-labels-model.json</c>, found above the
/// test directory): its operations with their input shape and modeled errors, and its shapes.
/// </summary>
public sealed class ApiModel
{
    private const string RelativePath = "shared/spec/rekognition-api/custom-labels-model.json";

    private static readonly Lazy<ApiModel> Loaded = new(() => new ApiModel(Find()));

    private readonly JsonElement _shapes;

    private ApiModel(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        var root = document.RootElement.Clone();
        _shapes = root.GetProperty("shapes");
        Operations = root.GetProperty("operations").EnumerateObject()
            .Select(o => new Operation(
                o.Name,
                o.Value.GetProperty("input").GetProperty("shape").GetString()!,
                o.Value.TryGetProperty("errors", out var errors) ? errors.EnumerateArray().Select(e => e.GetProperty("shape").GetString()!).ToHashSet() : []))
            .ToList();
    }

    /// <summary>An operation of the model.</summary>
    public sealed record Operation(string Name, string InputShape, IReadOnlySet<string> Errors);

    /// <summary>The model, loaded once; the test fails with a message when the file is missing.</summary>
    public static ApiModel Instance => Loaded.Value;

    public IReadOnlyList<Operation> Operations { get; }

    /// <summary>The shape named <paramref name="name"/>.</summary>
    public JsonElement Shape(string name) => _shapes.GetProperty(name);

    private static string Find()
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, RelativePath);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        Assert.Fail($"{RelativePath} was not found above {TestContext.CurrentContext.TestDirectory}: check out the project with its shared folder (shared/spec holds the service's API model).");
        return null!;
    }
}
