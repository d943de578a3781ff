using System.Net;
using Amazon.Runtime;
using Rekognition.Core.Model;
using Rekognition.Core.Tests.Management;
using Rekognition.Core.Tests.TestSupport;

namespace Rekognition.Core.Tests.SdkFidelity;

/// <summary>
/// Runs <see cref="SdkStyleWorkflow"/>, code written in the AWS SDK for .NET's idioms, against the in-process
/// client. It compiling is half the check (a renamed member, a lost base type or constructor breaks the
/// build); running it checks what the SDK's types promise: status codes, error codes and types, request ids,
/// pages and enum comparisons.
/// </summary>
public class SdkStyleWorkflowTests
{
    [Test]
    public async Task SdkStyleCode_RunsTwiceAgainstTheInProcessClient()
    {
        await using var store = TrainedModels.Store();
        var train = new S3Object { Bucket = "media", Name = PetDatasets.WriteManifest(store, "sdk-train", cats: 6, dogs: 6) };
        var test = new S3Object { Bucket = "media", Name = PetDatasets.WriteManifest(store, "sdk-test", cats: 3, dogs: 3) };
        await store.CreateProjectAsync("other");
        var wide = PngBuilder.Rgb(160, 64);

        var first = await SdkStyleWorkflow.RunAsync(() => store.Client, "pets", "v1", train, test, wide);
        Assert.Multiple(() =>
        {
            Assert.That(first.ProjectExisted, Is.False);
            Assert.That(first.ProjectArn, Does.StartWith("arn:aws:rekognition:us-east-1:123456789012:project/pets/"));
            Assert.That(first.ProjectNames, Is.EquivalentTo(new[] { "other", "pets" }), "one project a page, both pages read");
            Assert.That(first.LabelNames, Is.EquivalentTo(new[] { "cat", "dog" }));
            Assert.That(first.EntryCount, Is.EqualTo(12));
            Assert.That(first.EntryPages, Is.EqualTo(4), "12 entries, 3 a page");
            Assert.That(first.PolicyCount, Is.EqualTo(1));
            Assert.That(first.TrainedStatus, Is.EqualTo(ProjectVersionStatus.TRAINING_COMPLETED));
            Assert.That(first.VersionCount, Is.EqualTo(1));
            Assert.That(first.DetectStatus, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(first.DetectRequestId, Is.Not.Empty);
            Assert.That(first.DetectedLabels, Is.EqualTo(new[] { "cat" }), "a wide image is a cat");
            Assert.That(first.MissingErrorCode, Is.EqualTo(ResourceNotFoundException.Code));
            Assert.That(first.MissingStatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(first.MissingErrorType, Is.EqualTo(ErrorType.Sender));
            Assert.That(Guid.TryParse(first.MissingRequestId, out _), Is.True, first.MissingRequestId);
            Assert.That(first.NotFoundMessage, Is.Not.Empty);
            Assert.That(first.StoppedStatus, Is.EqualTo(ProjectVersionStatus.STOPPED));
        });

        // The workflow disposed its client (using var); a second process opens the store again.
        await store.ReopenAsync();
        var second = await SdkStyleWorkflow.RunAsync(() => store.Client, "pets", "v2", train, test, wide);
        Assert.Multiple(() =>
        {
            Assert.That(second.ProjectExisted, Is.True);
            Assert.That(second.ExistsErrorCode, Is.EqualTo(ResourceInUseException.Code));
            Assert.That(second.ProjectArn, Is.EqualTo(first.ProjectArn), "found through the DescribeProjects paginator");
            Assert.That(second.PolicyCount, Is.EqualTo(2));
            Assert.That(second.VersionCount, Is.EqualTo(2));
            Assert.That(second.DetectRequestId, Is.Not.EqualTo(first.DetectRequestId));
            Assert.That(second.StoppedStatus, Is.EqualTo(ProjectVersionStatus.STOPPED));
        });
    }

    [Test]
    public async Task Paginator_IsEnumeratedOnce_AsTheSdks()
    {
        await using var store = new TestStore();
        await store.CreateProjectAsync("one");
        var paginator = store.Client.Paginators.DescribeProjects(new DescribeProjectsRequest());
        var names = new List<string>();
        await foreach (var project in paginator.ProjectDescriptions)
        {
            names.Add(project.ProjectArn!);
        }

        Assert.That(names, Has.Count.EqualTo(1));
        Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await foreach (var _ in paginator.Responses)
            {
            }
        });
    }
}
