namespace Rekognition.Server.Tests.TestSupport;

/// <summary>Finds the project's <c>shared</c> folder (specs and real third-party data) above the test binaries; it is never copied into the repository.</summary>
public static class SharedFolder
{
    private static readonly Lazy<string?> Root = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared");
            if (Directory.Exists(Path.Combine(candidate, "spec")))
            {
                return candidate;
            }
        }

        return null;
    });

    /// <summary>The full path of <paramref name="relative"/> under shared/; fails the test when the folder is absent.</summary>
    public static string PathOf(string relative)
    {
        if (Root.Value is null)
        {
            Assert.Fail("shared/ (with spec/) was not found above the test directory; the project's shared folder must sit beside or above the repository clone");
        }

        return Path.Combine(Root.Value!, relative);
    }
}
