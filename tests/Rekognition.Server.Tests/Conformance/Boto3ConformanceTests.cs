using System.Text.Json;
using Rekognition.Server.Tests.TestSupport;

namespace Rekognition.Server.Tests.Conformance;

/// <summary>boto3 (the pip botocore) against the LocalServer host: parsed responses and the exception classes it raises.</summary>
[Category("Conformance")]
public class Boto3ConformanceTests
{
    private LocalServerFixture _server = null!;
    private ExternalClients _boto = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        ExternalClients.RequireBoto3();
        _server = await LocalServerFixture.StartAsync();
        _boto = new ExternalClients(_server.Endpoint, Path.Combine(_server.Root, "boto"));
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Test]
    public async Task ResponsesParse_AndErrorsRaiseTheModeledExceptions()
    {
        var results = await _boto.Boto3Async("""
            p1 = step('create1', lambda: rk.create_project(ProjectName='boto-1', Tags={'k': 'v'}))['ProjectArn']
            step('create2', lambda: rk.create_project(ProjectName='boto-2'))
            step('duplicate', lambda: rk.create_project(ProjectName='boto-1'))
            RESULTS['pages'] = [[p['ProjectArn'] for p in page['ProjectDescriptions']]
                                for page in rk.get_paginator('describe_projects').paginate(PaginationConfig={'PageSize': 1})]
            step('describe', lambda: rk.describe_projects(ProjectNames=['boto-1']))
            step('type', lambda: {'t': type(rk.describe_projects(ProjectNames=['boto-1'])['ProjectDescriptions'][0]['CreationTimestamp']).__name__})
            step('tags', lambda: rk.list_tags_for_resource(ResourceArn=p1))
            step('tag', lambda: rk.tag_resource(ResourceArn=p1, Tags={'k2': 'v2'}))
            step('dataset', lambda: rk.create_dataset(ProjectArn=p1, DatasetType='TRAIN'))
            step('labels', lambda: rk.list_dataset_labels(DatasetArn=RESULTS['dataset']['ok']['DatasetArn']))
            step('not_found', lambda: rk.delete_project(ProjectArn='arn:aws:rekognition:us-east-1:123456789012:project/nope/1700000000000'))
            step('bad_name', lambda: rk.create_project(ProjectName='bad name'))
            step('max_results', lambda: rk.describe_projects(MaxResults=101))
            step('bad_token', lambda: rk.describe_projects(NextToken='not-a-token'))
            step('bad_type', lambda: rk.create_dataset(ProjectArn=p1, DatasetType='VALIDATION'))
            """);

        Assert.Multiple(() =>
        {
            var p1 = ExternalClients.Ok(results, "create1").GetProperty("ProjectArn").GetString();
            Assert.That(p1, Does.StartWith("arn:aws:rekognition:us-east-1:123456789012:project/boto-1/"));

            var pages = results.GetProperty("pages");
            Assert.That(pages.GetArrayLength(), Is.EqualTo(2), pages.ToString());
            Assert.That(pages.EnumerateArray().Select(p => p.GetArrayLength()), Is.All.EqualTo(1));

            var project = ExternalClients.Ok(results, "describe").GetProperty("ProjectDescriptions")[0];
            Assert.That(project.GetProperty("ProjectArn").GetString(), Is.EqualTo(p1));
            var epoch = project.GetProperty("CreationTimestamp").GetProperty("epoch").GetDouble();
            Assert.That(epoch, Is.EqualTo(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0).Within(120));
            Assert.That(ExternalClients.Ok(results, "type").GetProperty("t").GetString(), Is.EqualTo("datetime"));

            Assert.That(ExternalClients.Ok(results, "tags").GetProperty("Tags").GetProperty("k").GetString(), Is.EqualTo("v"));
            Assert.That(ExternalClients.Ok(results, "tag").EnumerateObject(), Is.Empty);
            Assert.That(ExternalClients.Ok(results, "labels").GetProperty("DatasetLabelDescriptions").GetArrayLength(), Is.Zero);

            AssertError(results, "duplicate", "ResourceInUseException", "ResourceInUseException");
            AssertError(results, "not_found", "ResourceNotFoundException", "ResourceNotFoundException");
            AssertError(results, "bad_name", "InvalidParameterException", "InvalidParameterException");
            AssertError(results, "bad_type", "InvalidParameterException", "InvalidParameterException");
            AssertError(results, "bad_token", "InvalidPaginationTokenException", "InvalidPaginationTokenException");
            var validation = AssertError(results, "max_results", "ClientError", "ValidationException");
            Assert.That(validation.GetProperty("message").GetString(), Does.Contain("less than or equal to 100"));
        });
    }

    private static JsonElement AssertError(JsonElement results, string step, string exceptionClass, string code)
    {
        var error = ExternalClients.Error(results, step);
        Assert.That(error.GetProperty("class").GetString(), Is.EqualTo(exceptionClass), error.ToString());
        Assert.That(error.GetProperty("code").GetString(), Is.EqualTo(code));
        Assert.That(error.GetProperty("status").GetInt32(), Is.EqualTo(400));
        return error;
    }
}
