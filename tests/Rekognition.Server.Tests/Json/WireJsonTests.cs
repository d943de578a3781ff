using System.Text;
using System.Text.Json;
using Rekognition.Core.Model;
using Rekognition.Server.Json;

namespace Rekognition.Server.Tests.Json;

public class WireJsonTests
{
    private static string Write<T>(T value) => JsonSerializer.Serialize(value, WireJson.TypeInfo<T>());

    private static T Read<T>(string json) => JsonSerializer.Deserialize(json, WireJson.TypeInfo<T>())!;

    [Test]
    public void Timestamps_AreEpochSecondsWithMillisecondPrecision()
    {
        var response = new DescribeDatasetResponse
        {
            DatasetDescription = new DatasetDescription
            {
                CreationTimestamp = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123).UtcDateTime,
                LastUpdatedTimestamp = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_001_000).UtcDateTime,
            },
        };
        var json = Write(response);
        Assert.That(json, Does.Contain("\"CreationTimestamp\":1700000000.123"));
        Assert.That(json, Does.Contain("\"LastUpdatedTimestamp\":1700000001,").Or.Contain("\"LastUpdatedTimestamp\":1700000001}"));

        var half = Write(new ProjectDescription { CreationTimestamp = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_500).UtcDateTime });
        Assert.That(half, Does.Contain("\"CreationTimestamp\":1700000000.5"));
    }

    [TestCase("1700000000", 1_700_000_000_000L)]
    [TestCase("1700000000.123", 1_700_000_000_123L)]
    [TestCase("1.7000000001234E9", 1_700_000_000_123L)]
    [TestCase("17000000001234e-4", 1_700_000_000_123L)]
    public void Timestamps_AreReadFromIntegerFractionalAndExponentNumbers(string number, long expectedMs)
    {
        var read = Read<ProjectDescription>($$"""{"CreationTimestamp":{{number}}}""");
        Assert.That(read.CreationTimestamp, Is.EqualTo(DateTimeOffset.FromUnixTimeMilliseconds(expectedMs).UtcDateTime));
        Assert.That(read.CreationTimestamp!.Value.Kind, Is.EqualTo(DateTimeKind.Utc));
    }

    [Test]
    public void Timestamps_AsStrings_AreRejected()
    {
        Assert.Throws<JsonException>(() => Read<ProjectDescription>("""{"CreationTimestamp":"2023-11-14T22:13:20Z"}"""));
    }

    [Test]
    public void Enums_AreTheirWireStrings_AndKnownValuesComeBackAsTheSharedInstances()
    {
        var json = Write(new DescribeProjectsResponse
        {
            ProjectDescriptions = { new ProjectDescription { Status = ProjectStatus.CREATED, Feature = CustomizationFeature.CUSTOM_LABELS } },
        });
        Assert.That(json, Does.Contain("\"Status\":\"CREATED\"").And.Contain("\"Feature\":\"CUSTOM_LABELS\""));

        var request = Read<CreateDatasetRequest>("""{"DatasetType":"TRAIN"}""");
        Assert.That(request.DatasetType, Is.SameAs(DatasetType.TRAIN));
        var unknown = Read<CreateDatasetRequest>("""{"DatasetType":"VALIDATION"}""");
        Assert.That(unknown.DatasetType!.Value, Is.EqualTo("VALIDATION"));
        Assert.Throws<JsonException>(() => Read<CreateDatasetRequest>("""{"DatasetType":1}"""));
    }

    [Test]
    public void Blobs_AreBase64_OfTheWholeStream()
    {
        var bytes = Encoding.UTF8.GetBytes("{\"source-ref\":\"s3://b/a.png\"}\n");
        var stream = new MemoryStream();
        stream.Write(bytes);
        var json = Write(new UpdateDatasetEntriesRequest { DatasetArn = "x", Changes = new DatasetChanges { GroundTruth = stream } });
        Assert.That(json, Does.Contain($"\"GroundTruth\":\"{Convert.ToBase64String(bytes)}\""));

        var read = Read<UpdateDatasetEntriesRequest>(json);
        Assert.That(read.Changes!.GroundTruth!.ToArray(), Is.EqualTo(bytes));
        Assert.Throws<JsonException>(() => Read<UpdateDatasetEntriesRequest>("""{"Changes":{"GroundTruth":"not base64!"}}"""));
    }

    [Test]
    public void Responses_OmitNullsAndSdkOnlyMembers_AndEmptyOutputsAreAnEmptyObject()
    {
        Assert.That(Write(new TagResourceResponse()), Is.EqualTo("{}"));
        Assert.That(Write(new DeleteDatasetResponse()), Is.EqualTo("{}"));
        Assert.That(Write(new CreateProjectResponse { ProjectArn = "arn" }), Is.EqualTo("""{"ProjectArn":"arn"}"""));
        Assert.That(Write(new ListDatasetEntriesResponse()), Is.EqualTo("""{"DatasetEntries":[]}"""));
    }

    [Test]
    public void Requests_IgnoreUnknownMembers_TreatNullAsAbsent_AndMatchNamesExactly()
    {
        var request = Read<CreateProjectRequest>("""{"ProjectName":"p","Tags":null,"NewMember":{"x":[1,2]},"projectname":"other"}""");
        Assert.That(request.ProjectName, Is.EqualTo("p"));
        Assert.That(request.Tags, Is.Not.Null.And.Empty);

        var listing = Read<ListDatasetEntriesRequest>("""{"MaxResults":5,"HasErrors":false,"ContainsLabels":["a","b"]}""");
        Assert.That(listing.MaxResults, Is.EqualTo(5));
        Assert.That(listing.HasErrors, Is.False);
        Assert.That(listing.ContainsLabels, Is.EqualTo(new[] { "a", "b" }));
        Assert.Throws<JsonException>(() => Read<ListDatasetEntriesRequest>("""{"MaxResults":"5"}"""));
    }
}
