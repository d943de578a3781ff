using System.Reflection;

namespace Rekognition.Core.Tests.Client;

public class ClientSurfaceTests
{
    /// <summary>The service's Custom Labels operations, as its API model names them.</summary>
    private static readonly string[] ServiceOperations =
    {
        "CreateProject", "DescribeProjects", "DeleteProject",
        "CreateDataset", "DescribeDataset", "DeleteDataset", "ListDatasetEntries", "ListDatasetLabels", "UpdateDatasetEntries", "DistributeDatasetEntries",
        "CreateProjectVersion", "DescribeProjectVersions", "DeleteProjectVersion", "StartProjectVersion", "StopProjectVersion", "CopyProjectVersion",
        "DetectCustomLabels",
        "TagResource", "UntagResource", "ListTagsForResource",
        "PutProjectPolicy", "ListProjectPolicies", "DeleteProjectPolicy",
    };

    [Test]
    public void ClientPublicMethods_AreExactlyTheServiceOperations_AndDisposal()
    {
        var client = typeof(RekognitionCustomLabelsClient)
            .GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
            .Where(m => !m.IsSpecialName)
            .Select(m => m.Name)
            .ToList();
        var interfaceOperations = typeof(IAmazonRekognition).GetMethods().Where(m => !m.IsSpecialName).Select(m => m.Name).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(ServiceOperations, Has.Length.EqualTo(23));
            Assert.That(interfaceOperations, Is.EquivalentTo(ServiceOperations.Select(o => o + "Async")), "IAmazonRekognition is the service's API");
            Assert.That(client, Is.EquivalentTo(interfaceOperations.Concat(new[] { "WhenIdleAsync", "Dispose", "DisposeAsync" })),
                "one public method per operation (no overloads), plus waiting for and ending background work");
        });
    }

    [Test]
    public void ClientOperations_ImplementTheInterface()
    {
        var map = typeof(RekognitionCustomLabelsClient).GetInterfaceMap(typeof(IAmazonRekognition));
        Assert.That(map.TargetMethods.All(m => m.DeclaringType == typeof(RekognitionCustomLabelsClient) && m.IsPublic), Is.True);
    }
}
