namespace Rekognition.Core.Tests.TestSupport;

/// <summary>Finds <c>shared/data</c> (real third-party test files) by walking up from the test binaries; it is never copied into the repository.</summary>
public static class SharedData
{
    private static readonly Lazy<string?> Root = new(Find);

    /// <summary>The full path of <paramref name="relative"/> under shared/data; the test fails when the folder is absent.</summary>
    public static string PathOf(string relative)
    {
        if (Root.Value is null)
        {
            Assert.Fail("shared/data was not found above the test directory: clone the repository beside the project's shared/ folder (../shared).");
        }

        return Path.Combine(Root.Value!, relative);
    }

    /// <summary>The full path of <paramref name="relative"/> under shared/spec (the service's API model and digests).</summary>
    public static string SpecPathOf(string relative) => Path.Combine(PathOf(".."), "spec", relative);

    private static string? Find()
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "data");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
