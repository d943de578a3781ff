// FeedbackLoop: the guide's model feedback loop, in process. A first model is trained on a few images and
// put in production behind an alias; the images it analyses are recorded; a reviewer accepts or corrects
// its answers; the reviewed images join the training dataset; a second version is trained on them and
// promoted without downtime. Configure the store like any .NET app (Rekognition__StoreRoot=...); by
// default it runs in a fresh temporary folder.
using FeedbackLoop;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Rekognition.Core;
using Rekognition.Core.Feedback;
using Rekognition.Core.Manifests;
using Rekognition.Core.Model;
using Rekognition.Core.Promotion;
using Spectre.Console;

var configuration = new ConfigurationBuilder().AddEnvironmentVariables().AddCommandLine(args).Build();
var defaultRoot = Path.Combine(Path.GetTempPath(), "rekognition-feedback-loop", DateTime.UtcNow.ToString("yyyyMMdd-HHmmss"));
await using var services = new ServiceCollection()
    .AddRekognitionOnnxRuntime(configuration)  // models run on ONNX Runtime (Rekognition:Onnx)
    .AddRekognitionTraining()     // and are trained on it
    .AddRekognitionCustomLabels(configuration, o => o.StoreRoot = configuration["Rekognition:StoreRoot"] ?? defaultRoot)
    .AddRekognitionFeedbackRecording()
    .BuildServiceProvider();
var client = services.GetRequiredService<RekognitionCustomLabelsClient>();
var aliases = services.GetRequiredService<IModelAliasClient>();   // aliases and promotion without downtime
var feedback = services.GetRequiredService<IFeedbackClient>();    // recording, review, and back into a dataset
var buckets = client.Options.ResolvedBucketsRoot;
AnsiConsole.MarkupLine($"[grey]Store:[/] {Markup.Escape(client.Options.StoreRoot)}");

// 1. A few labelled pictures: banners have horizontal stripes, posters vertical ones.
const string bucket = "feedback-loop";
string Put(string key, int width, int height, string label, int contrast, int period)
{
    var path = Path.Combine(buckets, bucket, key);
    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
    File.WriteAllBytes(path, Pictures.Png(width, height, label, contrast, period));
    return $"s3://{bucket}/{key}";
}

string Manifest(string name, IEnumerable<(string Key, string Label, int Contrast, int Period)> images)
{
    var key = $"{name}.manifest";
    using var writer = new GroundTruthManifestWriter(File.Create(Path.Combine(buckets, bucket, key)));
    foreach (var (imageKey, label, contrast, period) in images)
    {
        writer.WriteClassification(Put(imageKey, 128, 128, label, contrast, period), new ImageLabel("format", label, ManifestTimestamp.UtcNow));
    }

    return key;
}

Directory.CreateDirectory(Path.Combine(buckets, bucket));
var trainKey = Manifest("train", Enumerable.Range(0, 6).SelectMany(i => new[] { ($"train/banner{i}.png", "banner", 100, 12 + 2 * i), ($"train/poster{i}.png", "poster", 100, 12 + 2 * i) }));
var testKey = Manifest("test", Enumerable.Range(0, 2).SelectMany(i => new[] { ($"test/banner{i}.png", "banner", 90, 14 + 3 * i), ($"test/poster{i}.png", "poster", 90, 14 + 3 * i) }));

var project = (await client.CreateProjectAsync(new CreateProjectRequest { ProjectName = "formats" })).ProjectArn!;
var train = await CreateDatasetAsync("TRAIN", trainKey);
await CreateDatasetAsync("TEST", testKey);

// 2. Version 1, in production behind the alias "production".
var v1 = await TrainAsync("v1");
await aliases.PromoteProjectVersionAsync(new PromoteProjectVersionRequest { ProjectArn = project, AliasName = "production", ProjectVersionArn = v1 });
await feedback.SetFeedbackRecordingAsync(v1, enabled: true);
AnsiConsole.MarkupLine("[green]v1[/] runs behind [blue]production[/]; its predictions are recorded.");

// 3. Production traffic: fainter and finer stripes than in training, and other sizes. Callers ask for
//    labels of 30 % confidence or more.
var incoming = new[] { (160, 120, "banner", 25, 5), (120, 120, "banner", 15, 4), (100, 140, "banner", 10, 3), (140, 100, "poster", 25, 5), (120, 120, "poster", 15, 4), (120, 160, "poster", 10, 3) }
    .Select((p, i) => (Ref: Put($"incoming/{i}.png", p.Item1, p.Item2, p.Item3, p.Item4, p.Item5), p.Item1, p.Item2, Truth: p.Item3)).ToArray();
var before = await AskProductionAsync("v1");

// 4. A reviewer checks each recorded answer: right ones are accepted, wrong or missing ones corrected.
var review = new Table().Title("Review of v1's recorded answers").AddColumns("Image", "v1 said", "Reviewer");
var recorded = await feedback.ListFeedbackAsync(v1, FeedbackStatus.PendingReview);
for (var i = 0; i < recorded.Count; i++)
{
    var item = recorded[i];
    var said = item.Predictions.Count > 0 ? item.Predictions[0].Name : null; // the model's best guess
    var truth = incoming[i].Truth;
    if (said == truth)
    {
        await feedback.AcceptFeedbackAsync(item.Id);
        review.AddRow($"{item.ImageWidth}x{item.ImageHeight}", said, "[green]accepted[/]");
    }
    else
    {
        await feedback.CorrectFeedbackAsync(item.Id, new[] { new FeedbackLabel { Name = truth } });
        review.AddRow($"{item.ImageWidth}x{item.ImageHeight}", said ?? "(nothing)", $"[yellow]corrected to {truth}[/]");
    }
}

AnsiConsole.Write(review);

// 5. The reviewed images join the training dataset; version 2 trains on them and replaces v1 without downtime.
var added = await feedback.AddReviewedFeedbackToDatasetAsync(v1, train);
await WaitForDatasetAsync(train, $"Adding {added} reviewed images to the training dataset");
var v2 = await TrainAsync("v2");
var promotion = await aliases.PromoteProjectVersionAsync(new PromoteProjectVersionRequest { ProjectArn = project, AliasName = "production", ProjectVersionArn = v2 });
AnsiConsole.MarkupLine($"[blue]production[/] now points at [green]v2[/]; v1 stopped: {promotion.PreviousVersionStopped}.");
var after = await AskProductionAsync("v2");

var results = new Table().Title("The same pictures, before and after the loop").AddColumns("Image", "Truth", "v1", "v2");
for (var i = 0; i < incoming.Length; i++)
{
    results.AddRow($"{incoming[i].Item2}x{incoming[i].Item3}", incoming[i].Truth, Mark(before[i], incoming[i].Truth), Mark(after[i], incoming[i].Truth));
}

AnsiConsole.Write(results);
AnsiConsole.MarkupLine($"Right answers: v1 {before.Zip(incoming).Count(p => p.First.Name == p.Second.Truth)}/{incoming.Length}, " +
                       $"v2 {after.Zip(incoming).Count(p => p.First.Name == p.Second.Truth)}/{incoming.Length}; " +
                       $"mean confidence of right answers: v1 {MeanRight(before):0.0}, v2 {MeanRight(after):0.0}.");
return 0;

static string Mark((string? Name, float Confidence) said, string truth) =>
    said.Name is null ? "[red](nothing)[/]" : $"[{(said.Name == truth ? "green" : "red")}]{said.Name} {said.Confidence:0.0}[/]";

double MeanRight((string? Name, float Confidence)[] answers) =>
    answers.Zip(incoming).Where(p => p.First.Name == p.Second.Truth).Select(p => (double)p.First.Confidence).DefaultIfEmpty(0).Average();

async Task<(string? Name, float Confidence)[]> AskProductionAsync(string version)
{
    var answers = new List<(string?, float)>();
    foreach (var picture in incoming)
    {
        var key = picture.Ref[$"s3://{bucket}/".Length..];
        var answer = await aliases.DetectCustomLabelsWithAliasAsync(project, "production",
            new DetectCustomLabelsRequest { Image = new Image { S3Object = new S3Object { Bucket = bucket, Name = key } }, MinConfidence = 30 });
        var labels = answer.Response.CustomLabels;
        answers.Add(labels.Count > 0 ? (labels[0].Name, labels[0].Confidence ?? 0) : (null, 0));
    }

    AnsiConsole.MarkupLine($"{version} answered {incoming.Length} production requests.");
    return answers.ToArray();
}

async Task<string> CreateDatasetAsync(string type, string manifestKey)
{
    var arn = (await client.CreateDatasetAsync(new CreateDatasetRequest
    {
        ProjectArn = project,
        DatasetType = type,
        DatasetSource = new DatasetSource { GroundTruthManifest = new GroundTruthManifest { S3Object = new S3Object { Bucket = bucket, Name = manifestKey } } },
    })).DatasetArn!;
    await WaitForDatasetAsync(arn, $"Importing the {type} dataset");
    return arn;
}

async Task WaitForDatasetAsync(string arn, string what)
{
    var description = await AnsiConsole.Status().StartAsync(what, async _ =>
    {
        while (true)
        {
            var d = (await client.DescribeDatasetAsync(new DescribeDatasetRequest { DatasetArn = arn })).DatasetDescription!;
            if (!d.Status!.Value.EndsWith("_IN_PROGRESS", StringComparison.Ordinal))
            {
                return d;
            }

            await Task.Delay(50);
        }
    });
    AnsiConsole.MarkupLine($"{what}: [green]{description.Status}[/] ({description.DatasetStats!.LabeledEntries} labelled images)");
}

async Task<string> TrainAsync(string name)
{
    var arn = (await client.CreateProjectVersionAsync(new CreateProjectVersionRequest
    {
        ProjectArn = project,
        VersionName = name,
        OutputConfig = new OutputConfig { S3Bucket = bucket, S3KeyPrefix = "output/" },
    })).ProjectVersionArn!;
    var version = await AnsiConsole.Status().StartAsync($"Training {name}", async _ =>
    {
        while (true)
        {
            var v = (await client.DescribeProjectVersionsAsync(new DescribeProjectVersionsRequest { ProjectArn = project, VersionNames = { name } })).ProjectVersionDescriptions.Single();
            if (v.Status != ProjectVersionStatus.TRAINING_IN_PROGRESS)
            {
                return v;
            }

            await Task.Delay(50);
        }
    });
    AnsiConsole.MarkupLine($"{name}: [green]{version.Status}[/] {Markup.Escape(version.StatusMessage ?? "")} F1 {version.EvaluationResult?.F1Score:0.00}");
    if (version.Status != ProjectVersionStatus.TRAINING_COMPLETED)
    {
        throw new InvalidOperationException($"Training {name} failed: {version.StatusMessage}");
    }

    return arn;
}
