using System.Text;
using System.Text.Json;
using Rekognition.Server.Tests.TestSupport;
using SkiaSharp;

namespace Rekognition.Server.Tests.Conformance;

/// <summary>
/// A model's whole life through the AWS CLI and boto3: trained from datasets (CreateProjectVersion), described,
/// started, asked about images with DetectCustomLabels (image bytes), stopped and deleted, with the exception
/// types the clients raise when a call does not fit the model's state.
/// </summary>
[Category("Conformance")]
public class ModelLifecycleConformanceTests
{
    private LocalServerFixture _server = null!;
    private ExternalClients _clients = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        ExternalClients.RequireAwsCli();
        ExternalClients.RequireBoto3();
        _server = await LocalServerFixture.StartAsync();
        _clients = new ExternalClients(_server.Endpoint, Path.Combine(_server.Root, "lifecycle"));
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    private string Manifest(string folder, int perLabel)
    {
        var lines = new StringBuilder();
        foreach (var (label, colour) in new[] { ("red", new SKColor(220, 30, 30)), ("blue", new SKColor(30, 30, 220)) })
        {
            for (var i = 0; i < perLabel; i++)
            {
                var uri = _server.PutObject("media", $"{folder}/{label}{i}.png", ColourSquares.Png(colour, i + (label == "red" ? 0 : 1000) + folder.Length * 7919));
                lines.Append(ManifestLines.Classification(uri, label, "colour")).Append('\n');
            }
        }

        _server.PutObject("media", $"{folder}.manifest", Encoding.UTF8.GetBytes(lines.ToString()));
        return $"{folder}.manifest";
    }

    [Test]
    public async Task DistributeDatasetEntries_MovesTwentyPercentIntoTheEmptyTestDataset()
    {
        var project = (await _clients.AwsAsync("create-project", "--project-name", "split")).Json().GetProperty("ProjectArn").GetString()!;
        var train = (await _clients.AwsAsync("create-dataset", "--project-arn", project, "--dataset-type", "TRAIN",
            "--dataset-source", $"GroundTruthManifest={{S3Object={{Bucket=media,Name={Manifest("split", 10)}}}}}")).Json().GetProperty("DatasetArn").GetString()!;
        var test = (await _clients.AwsAsync("create-dataset", "--project-arn", project, "--dataset-type", "TEST")).Json().GetProperty("DatasetArn").GetString()!;
        var results = await _clients.Boto3Async($$"""
            import time
            def settle(arn):
                for _ in range(300):
                    d = rk.describe_dataset(DatasetArn=arn)['DatasetDescription']
                    if not d['Status'].endswith('IN_PROGRESS'):
                        return d
                    time.sleep(0.1)
            settle('{{train}}'); settle('{{test}}')
            step('distribute', lambda: rk.distribute_dataset_entries(Datasets=[{'Arn': '{{train}}'}, {'Arn': '{{test}}'}]))
            RESULTS['train'] = {'ok': settle('{{train}}')}
            RESULTS['test'] = {'ok': settle('{{test}}')}
            step('again', lambda: rk.distribute_dataset_entries(Datasets=[{'Arn': '{{train}}'}, {'Arn': '{{test}}'}]))
            """);

        ExternalClients.Ok(results, "distribute");
        var trainStats = ExternalClients.Ok(results, "train").GetProperty("DatasetStats");
        var testStats = ExternalClients.Ok(results, "test").GetProperty("DatasetStats");
        Assert.That(ExternalClients.Ok(results, "train").GetProperty("Status").GetString(), Is.EqualTo("UPDATE_COMPLETE"));
        Assert.That(trainStats.GetProperty("TotalEntries").GetInt32() + testStats.GetProperty("TotalEntries").GetInt32(), Is.EqualTo(20));
        Assert.That(testStats.GetProperty("TotalEntries").GetInt32(), Is.EqualTo(4), "20 % of 20 images, stratified by label");
        Assert.That(ExternalClients.Error(results, "again").GetProperty("code").GetString(), Is.EqualTo("InvalidParameterException"), "the test dataset is no longer empty");
    }

    [Test]
    public async Task TrainStartDetectStopDelete_ThroughTheCliAndBoto3()
    {
        var project = (await _clients.AwsAsync("create-project", "--project-name", "colours")).Json().GetProperty("ProjectArn").GetString()!;
        foreach (var (type, folder, count) in new[] { ("TRAIN", "train", 12), ("TEST", "test", 4) })
        {
            var created = await _clients.AwsAsync("create-dataset", "--project-arn", project, "--dataset-type", type,
                "--dataset-source", $"GroundTruthManifest={{S3Object={{Bucket=media,Name={Manifest(folder, count)}}}}}");
            Assert.That(created.ExitCode, Is.Zero, created.ToString());
        }

        var photo = Convert.ToBase64String(ColourSquares.Png(new SKColor(220, 30, 30), 4242));
        var results = await _clients.Boto3Async($$"""
            import time
            project = '{{project}}'
            for d in rk.describe_projects(ProjectNames=['colours'])['ProjectDescriptions'][0]['Datasets']:
                for _ in range(300):
                    if not rk.describe_dataset(DatasetArn=d['DatasetArn'])['DatasetDescription']['Status'].endswith('IN_PROGRESS'):
                        break
                    time.sleep(0.1)
            created = step('create', lambda: rk.create_project_version(ProjectArn=project, VersionName='v1',
                OutputConfig={'S3Bucket': 'artifacts', 'S3KeyPrefix': 'colours/'}, Tags={'stage': 'test'}))
            arn = created['ProjectVersionArn']
            step('duplicate', lambda: rk.create_project_version(ProjectArn=project, VersionName='v1',
                OutputConfig={'S3Bucket': 'artifacts', 'S3KeyPrefix': 'colours/'}))
            for _ in range(1200):
                v = rk.describe_project_versions(ProjectArn=project, VersionNames=['v1'])['ProjectVersionDescriptions'][0]
                if v['Status'] != 'TRAINING_IN_PROGRESS':
                    break
                time.sleep(0.1)
            RESULTS['trained'] = {'ok': v}
            prod = rk.create_project(ProjectName='colours-prod')['ProjectArn']
            copied = step('copy', lambda: rk.copy_project_version(SourceProjectArn=project, SourceProjectVersionArn=arn,
                DestinationProjectArn=prod, VersionName='v1-prod', OutputConfig={'S3Bucket': 'artifacts', 'S3KeyPrefix': 'prod/'}))
            for _ in range(600):
                c = rk.describe_project_versions(ProjectArn=prod)['ProjectVersionDescriptions'][0]
                if c['Status'] != 'COPYING_IN_PROGRESS':
                    break
                time.sleep(0.1)
            RESULTS['copied'] = {'ok': c}
            step('detect_before_start', lambda: rk.detect_custom_labels(ProjectVersionArn=arn, Image={'Bytes': base64.b64decode('{{photo}}')}))
            step('start', lambda: rk.start_project_version(ProjectVersionArn=arn, MinInferenceUnits=1, MaxInferenceUnits=2))
            for _ in range(600):
                v = rk.describe_project_versions(ProjectArn=project, VersionNames=['v1'])['ProjectVersionDescriptions'][0]
                if v['Status'] != 'STARTING':
                    break
                time.sleep(0.1)
            RESULTS['running'] = {'ok': v}
            step('detect', lambda: rk.detect_custom_labels(ProjectVersionArn=arn, Image={'Bytes': base64.b64decode('{{photo}}')}, MinConfidence=0))
            step('delete_running', lambda: rk.delete_project_version(ProjectVersionArn=arn))
            step('stop', lambda: rk.stop_project_version(ProjectVersionArn=arn))
            for _ in range(300):
                v = rk.describe_project_versions(ProjectArn=project, VersionNames=['v1'])['ProjectVersionDescriptions'][0]
                if v['Status'] == 'STOPPED':
                    break
                time.sleep(0.1)
            RESULTS['stopped'] = {'ok': v}
            step('delete', lambda: rk.delete_project_version(ProjectVersionArn=arn))
            step('after_delete', lambda: rk.describe_project_versions(ProjectArn=project))
            """);

        var trained = ExternalClients.Ok(results, "trained");
        Assert.That(trained.GetProperty("Status").GetString(), Is.EqualTo("TRAINING_COMPLETED"), trained.ToString());
        Assert.That(trained.GetProperty("EvaluationResult").GetProperty("F1Score").GetDouble(), Is.GreaterThan(0.9), "red and blue squares are told apart");
        Assert.That(trained.GetProperty("EvaluationResult").GetProperty("Summary").GetProperty("S3Object").GetProperty("Name").GetString(),
            Is.EqualTo("colours/v1/EvaluationSummary-colours-v1.json"));
        Assert.That(trained.GetProperty("TrainingEndTimestamp").GetProperty("epoch").GetDouble(), Is.GreaterThan(0));
        Assert.That(ExternalClients.Error(results, "duplicate").GetProperty("code").GetString(), Is.EqualTo("ResourceInUseException"));
        var copy = ExternalClients.Ok(results, "copied");
        Assert.That(copy.GetProperty("Status").GetString(), Is.EqualTo("COPYING_COMPLETED"), copy.ToString());
        Assert.That(copy.GetProperty("ProjectVersionArn").GetString(), Is.EqualTo(ExternalClients.Ok(results, "copy").GetProperty("ProjectVersionArn").GetString()));
        Assert.That(copy.GetProperty("SourceProjectVersionArn").GetString(), Is.EqualTo(trained.GetProperty("ProjectVersionArn").GetString()));
        Assert.That(copy.GetProperty("EvaluationResult").GetProperty("F1Score").GetDouble(), Is.EqualTo(trained.GetProperty("EvaluationResult").GetProperty("F1Score").GetDouble()));
        Assert.That(ExternalClients.Error(results, "detect_before_start").GetProperty("code").GetString(), Is.EqualTo("ResourceNotReadyException"));

        var running = ExternalClients.Ok(results, "running");
        Assert.That(running.GetProperty("Status").GetString(), Is.EqualTo("RUNNING"), running.ToString());
        Assert.That(running.GetProperty("MinInferenceUnits").GetInt32(), Is.EqualTo(1));
        Assert.That(running.GetProperty("MaxInferenceUnits").GetInt32(), Is.EqualTo(2));

        var labels = ExternalClients.Ok(results, "detect").GetProperty("CustomLabels").EnumerateArray().ToList();
        Assert.That(labels, Is.Not.Empty);
        Assert.That(labels[0].GetProperty("Name").GetString(), Is.EqualTo("red"), "labels come sorted by confidence, the red photo first as red");
        Assert.That(labels[0].GetProperty("Confidence").GetDouble(), Is.InRange(50, 100));
        Assert.That(labels.Any(l => l.TryGetProperty("Geometry", out _)), Is.False, "a classifier's labels carry no geometry");

        Assert.That(ExternalClients.Error(results, "delete_running").GetProperty("code").GetString(), Is.EqualTo("ResourceInUseException"));
        Assert.That(ExternalClients.Ok(results, "stopped").GetProperty("Status").GetString(), Is.EqualTo("STOPPED"));
        Assert.That(ExternalClients.Ok(results, "delete").GetProperty("Status").GetString(), Is.EqualTo("DELETING"));
        Assert.That(ExternalClients.Ok(results, "after_delete").GetProperty("ProjectVersionDescriptions").GetArrayLength(), Is.Zero);
    }
}
