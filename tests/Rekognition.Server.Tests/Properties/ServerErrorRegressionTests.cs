using System.Text.Json;
using Rekognition.Server.Tests.TestSupport;

namespace Rekognition.Server.Tests.Properties;

/// <summary>
/// Every input with which <see cref="ModelPropertyTests"/> once got a 5xx or an error the operation does
/// not model, kept by name. Each case runs on a freshly seeded server; <c>{TRAIN0}</c>, <c>{PROJECT1}</c>,
/// ... stand for the seeded ARNs, and a <c>Settle</c> step waits for a dataset's running operation to end.
/// </summary>
public class ServerErrorRegressionTests
{
    private const string Settle = "Settle";

    public static IEnumerable<TestCaseData> Cases()
    {
        yield return Case("DistributeDatasetEntries_TwoTrainDatasets_IsInvalidParameter",
            ("DistributeDatasetEntries", """{"Datasets":[{"Arn":"{TRAIN0}"},{"Arn":"{TRAIN1}"}]}""", "InvalidParameterException"));
        yield return Case("DistributeDatasetEntries_TwoTestDatasets_IsInvalidParameter",
            ("DistributeDatasetEntries", """{"Datasets":[{"Arn":"{TEST1}"},{"Arn":"{TEST0}"}]}""", "InvalidParameterException"));
        yield return Case("DistributeDatasetEntries_TheSameArnTwice_IsInvalidParameter",
            ("DistributeDatasetEntries", """{"Datasets":[{"Arn":"{TRAIN0}"},{"Arn":"{TRAIN0}"}]}""", "InvalidParameterException"));
        yield return Case("CreateProjectVersion_OnAFailedDataset_IsInvalidParameter_NotResourceNotReady",
            ("DistributeDatasetEntries", """{"Datasets":[{"Arn":"{TRAIN1}"},{"Arn":"{TEST1}"}]}""", "200"),
            (Settle, "{TRAIN1}", "UPDATE_FAILED"),
            ("CreateProjectVersion", """{"ProjectArn":"{PROJECT1}","VersionName":"v1","OutputConfig":{"S3Bucket":"seed"}}""", "InvalidParameterException"));
    }

    private static TestCaseData Case(string name, params (string Operation, string Body, string Expected)[] steps) =>
        new TestCaseData([steps]).SetName(name);

    [TestCaseSource(nameof(Cases))]
    public async Task FoundByTheProperty((string Operation, string Body, string Expected)[] steps)
    {
        await using var server = await LocalServerFixture.StartAsync();
        using var client = new WireClient(server.Endpoint);
        var state = await SeededState.CreateAsync(server, client);
        var operations = ApiModel.Instance.Operations.ToDictionary(o => o.Name);
        foreach (var (operation, body, expected) in steps)
        {
            if (operation == Settle)
            {
                Assert.That(await SettleAsync(client, state.Fill(body)), Is.EqualTo(expected));
                continue;
            }

            var request = new WireRequest(operation, state.Fill(body));
            var answer = await client.SendAsync("RekognitionService." + operation, request.Body);
            AnswerRules.AssertNotAServerError(operations[operation], request, answer);
            Assert.That(answer.Status == 200 ? "200" : answer.Json.GetProperty("__type").GetString(), Is.EqualTo(expected), answer.Body);
        }
    }

    private static async Task<string> SettleAsync(WireClient client, string datasetArn)
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var answer = await client.SendAsync("RekognitionService.DescribeDataset", JsonSerializer.Serialize(new { DatasetArn = datasetArn }));
            var status = answer.Json.GetProperty("DatasetDescription").GetProperty("Status").GetString()!;
            if (!status.EndsWith("_IN_PROGRESS", StringComparison.Ordinal))
            {
                return status;
            }

            await Task.Delay(50);
        }

        return "still in progress after 10 s";
    }
}
