namespace Rekognition.Core.Tests.TestSupport;

/// <summary>Finds the project's shared test data (<c>../shared/data</c> beside the repository).</summary>
internal static class SharedData
{
    private static readonly Lazy<string?> Root = new(() =>
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
    });

    /// <summary>The path of <paramref name="relative"/> under shared/data; the test is ignored when the data is absent.</summary>
    public static string PathOf(string relative)
    {
        if (Root.Value is null)
        {
            Assert.Ignore("shared/data was not found beside the repository.");
        }

        return Path.Combine(Root.Value!, relative);
    }
}
