namespace Rekognition.Core.Tests.TestSupport;

/// <summary>The clone of the repository these tests were built from.</summary>
internal static class RepositoryFiles
{
    /// <summary>The folder holding Rekognition.Core.sln above the test directory; fails the test when there is none.</summary>
    public static string Root()
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Rekognition.Core.sln")))
            {
                return dir.FullName;
            }
        }

        Assert.Fail("Rekognition.Core.sln was not found above the test directory: run the tests from a clone of the repository.");
        return null!;
    }
}
