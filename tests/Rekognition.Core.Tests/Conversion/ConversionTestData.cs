using System.Text;
using System.Text.Json;

namespace Rekognition.Core.Tests.Conversion;

/// <summary>Finds the shared real data, and parses manifest output back for assertions.</summary>
internal static class ConversionTestData
{
    private static readonly Lazy<string> DataRoot = new(FindDataRoot);

    /// <summary>A path under <c>shared/data</c>, found by walking up from the test folder.</summary>
    public static string Path(params string[] parts) => System.IO.Path.Combine([DataRoot.Value, .. parts]);

    /// <summary>
    /// Splits manifest bytes into lines, checking the writer's framing on the way: UTF-8 without BOM,
    /// LF only, one compact object per line, a final LF.
    /// </summary>
    public static List<JsonElement> Lines(byte[] manifest)
    {
        var text = Encoding.UTF8.GetString(manifest);
        Assert.That(manifest.Length == 0 || manifest[0] != 0xEF, "no BOM");
        Assert.That(text, Does.Not.Contain("\r"), "LF line ends only");
        if (text.Length > 0)
        {
            Assert.That(text, Does.EndWith("\n"));
        }

        var lines = new List<JsonElement>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            Assert.That(line, Does.StartWith("{\"source-ref\":"), "compact object starting with source-ref");
            using var document = JsonDocument.Parse(line);
            lines.Add(document.RootElement.Clone());
        }

        return lines;
    }

    public static List<JsonElement> Lines(MemoryStream manifest) => Lines(manifest.ToArray());

    private static string FindDataRoot()
    {
        for (var directory = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = System.IO.Path.Combine(directory.FullName, "shared", "data");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("shared/data was not found above " + TestContext.CurrentContext.TestDirectory);
    }
}
