// QuickStart: the Custom Labels workflow end to end, in process, on the embedded defaults.
// Configure it like any .NET app: Rekognition__StoreRoot=/tmp/rk dotnet run --project samples/QuickStart
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using QuickStart;
using Rekognition.Core;
using Rekognition.Core.Model;
using Rekognition.Core.Training;
using Spectre.Console;

var configuration = new ConfigurationBuilder().AddEnvironmentVariables().AddCommandLine(args).Build();
await using var services = new ServiceCollection()
    .AddRekognitionCustomLabels(configuration) // the catalog, datasets, validation, evaluation
    .AddRekognitionOnnxRuntime(configuration)  // running models on ONNX Runtime (Rekognition:Onnx)
    .AddRekognitionTraining()                  // training them on ONNX Runtime
    .BuildServiceProvider();
var rekognition = services.GetRequiredService<IAmazonRekognition>();
var options = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<RekognitionOptions>>().Value;
AnsiConsole.MarkupLine($"[grey]Store:[/] {Markup.Escape(options.StoreRoot)}   [grey]Buckets (S3):[/] {Markup.Escape(options.ResolvedBucketsRoot)}");

// 1. Images and a Ground Truth manifest in a "bucket": s3://quickstart/shapes/...
const string bucket = "quickstart";
var manifestKey = Workspace.WriteShapesDataset(options.ResolvedBucketsRoot, bucket, imagesPerLabel: 60);
AnsiConsole.MarkupLine($"Wrote {60 * SyntheticShapes.Labels.Length} images and [blue]s3://{bucket}/{manifestKey}[/]");

// 2. A fresh project (a previous run's one is deleted first, datasets included).
const string projectName = "quickstart-shapes";
await Workspace.DeleteProjectIfPresentAsync(rekognition, projectName);
var projectArn = (await rekognition.CreateProjectAsync(new CreateProjectRequest
{
    ProjectName = projectName,
    Tags = { ["sample"] = "quickstart" },
})).ProjectArn!;
AnsiConsole.MarkupLine($"Project [green]{Markup.Escape(projectArn)}[/]");

// 3. The training dataset, imported and validated in the background, as the service does.
var trainArn = (await rekognition.CreateDatasetAsync(new CreateDatasetRequest
{
    ProjectArn = projectArn,
    DatasetType = DatasetType.TRAIN,
    DatasetSource = new DatasetSource
    {
        GroundTruthManifest = new GroundTruthManifest { S3Object = new S3Object { Bucket = bucket, Name = manifestKey } },
    },
})).DatasetArn!;
var train = await Workspace.WaitForDatasetAsync(rekognition, trainArn, "Importing the training dataset");

// 4. An empty test dataset that receives 20 % of the training images.
var testArn = (await rekognition.CreateDatasetAsync(new CreateDatasetRequest { ProjectArn = projectArn, DatasetType = DatasetType.TEST })).DatasetArn!;
await Workspace.WaitForDatasetAsync(rekognition, testArn, "Creating the test dataset");
await rekognition.DistributeDatasetEntriesAsync(new DistributeDatasetEntriesRequest
{
    Datasets = { new DistributeDataset { Arn = trainArn }, new DistributeDataset { Arn = testArn } },
});
train = await Workspace.WaitForDatasetAsync(rekognition, trainArn, "Distributing 20 % to the test dataset");
var test = await Workspace.WaitForDatasetAsync(rekognition, testArn, "Distributing 20 % to the test dataset");

// 5. What the datasets hold.
foreach (var (name, arn, description) in new[] { ("Training", trainArn, train), ("Test", testArn, test) })
{
    var table = new Table().Title($"{name} dataset: {description.Status} ({description.DatasetStats!.TotalEntries} images, " +
                                  $"{description.DatasetStats.LabeledEntries} labelled, {description.DatasetStats.ErrorEntries} with errors)");
    table.AddColumns("Label", "Images", "Images with boxes");
    var labels = await rekognition.ListDatasetLabelsAsync(new ListDatasetLabelsRequest { DatasetArn = arn });
    foreach (var label in labels.DatasetLabelDescriptions)
    {
        table.AddRow(label.LabelName!, label.LabelStats!.EntryCount.ToString()!, label.LabelStats.BoundingBoxCount.ToString()!);
    }

    AnsiConsole.Write(table);
}

var firstCircle = await rekognition.ListDatasetEntriesAsync(new ListDatasetEntriesRequest { DatasetArn = trainArn, ContainsLabels = { "circle" }, MaxResults = 1 });
AnsiConsole.MarkupLine("[grey]One training entry (ListDatasetEntries, ContainsLabels=circle):[/]");
AnsiConsole.WriteLine(firstCircle.DatasetEntries.Single());

// 6. Train a model version: validation, training on ONNX Runtime, evaluation on the test dataset.
var training = services.GetRequiredService<ITrainingControlClient>(); // CreateProjectVersion with a progress receiver
ProjectVersionDescription trained = null!;
await AnsiConsole.Progress().StartAsync(async progress =>
{
    var task = progress.AddTask("Training", maxValue: 1);
    var versionArn = (await training.CreateProjectVersionAsync(
        new CreateProjectVersionRequest { ProjectArn = projectArn, VersionName = "v1", OutputConfig = new OutputConfig { S3Bucket = bucket, S3KeyPrefix = "output/" } },
        new TrainingRunOptions { Progress = new Progress<TrainingProgress>(p =>
        {
            task.MaxValue = p.Epochs;
            task.Value = p.Epoch;
            task.Description = $"Training: epoch {p.Epoch}/{p.Epochs}, loss {p.Loss:0.000}";
        }) })).ProjectVersionArn!;
    while ((trained = (await rekognition.DescribeProjectVersionsAsync(new DescribeProjectVersionsRequest { ProjectArn = projectArn, VersionNames = { "v1" } }))
               .ProjectVersionDescriptions.Single()).Status == ProjectVersionStatus.TRAINING_IN_PROGRESS)
    {
        await Task.Delay(200);
    }

    task.Value = task.MaxValue;
});
if (trained.Status != ProjectVersionStatus.TRAINING_COMPLETED)
{
    AnsiConsole.MarkupLine($"[red]{trained.Status}[/]: {Markup.Escape(trained.StatusMessage ?? "")}");
    return 1;
}

AnsiConsole.MarkupLine($"Model [green]{Markup.Escape(trained.ProjectVersionArn!)}[/] trained in {trained.BillableTrainingTimeInSeconds} s; " +
                       $"F1 on the test dataset [green]{trained.EvaluationResult!.F1Score:0.000}[/] " +
                       $"(summary: s3://{bucket}/{Markup.Escape(trained.EvaluationResult.Summary!.S3Object!.Name!)})");

// 7. Start it on one inference unit, ask it about images it has never seen, stop it.
await rekognition.StartProjectVersionAsync(new StartProjectVersionRequest { ProjectVersionArn = trained.ProjectVersionArn, MinInferenceUnits = 1 });
var running = await Workspace.WaitForVersionAsync(rekognition, projectArn, trained.ProjectVersionArn!, "Starting the model", s => s != ProjectVersionStatus.STARTING.Value);
AnsiConsole.MarkupLine($"Model {running.Status}: {Markup.Escape(running.StatusMessage ?? "")}");
var answers = new Table().Title("DetectCustomLabels on new images");
answers.AddColumns("Drawn", "Labels (confidence %)");
var right = 0;
const int newImages = 12;
for (var i = 0; i < newImages; i++)
{
    var drawn = SyntheticShapes.Labels[i % SyntheticShapes.Labels.Length];
    var response = await rekognition.DetectCustomLabelsAsync(new DetectCustomLabelsRequest
    {
        ProjectVersionArn = trained.ProjectVersionArn,
        Image = new Image { Bytes = new MemoryStream(SyntheticShapes.Draw(drawn, 10_000 + i)) },
    });
    right += response.CustomLabels.FirstOrDefault()?.Name == drawn ? 1 : 0;
    answers.AddRow(drawn, string.Join(", ", response.CustomLabels.Select(l => $"{l.Name} ({l.Confidence:0.0})")));
}

AnsiConsole.Write(answers);
AnsiConsole.MarkupLine($"{right} of {newImages} new images recognised (top label).");
await rekognition.StopProjectVersionAsync(new StopProjectVersionRequest { ProjectVersionArn = trained.ProjectVersionArn });
var stopped = await Workspace.WaitForVersionAsync(rekognition, projectArn, trained.ProjectVersionArn!, "Stopping the model", s => s != ProjectVersionStatus.STOPPING.Value);
AnsiConsole.MarkupLine($"Model {stopped.Status}: {Markup.Escape(stopped.StatusMessage ?? "")}");
return 0;
