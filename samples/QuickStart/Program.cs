// QuickStart: the Custom Labels workflow end to end, in process, on the embedded defaults.
// Configure it like any .NET app: Rekognition__StoreRoot=/tmp/rk dotnet run --project samples/QuickStart
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using QuickStart;
using Rekognition.Core;
using Rekognition.Core.Model;
using Spectre.Console;

var configuration = new ConfigurationBuilder().AddEnvironmentVariables().AddCommandLine(args).Build();
await using var services = new ServiceCollection().AddRekognitionCustomLabels(configuration).BuildServiceProvider();
var rekognition = services.GetRequiredService<IAmazonRekognition>();
var options = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<RekognitionOptions>>().Value;
AnsiConsole.MarkupLine($"[grey]Store:[/] {Markup.Escape(options.StoreRoot)}   [grey]Buckets (S3):[/] {Markup.Escape(options.ResolvedBucketsRoot)}");

// 1. Images and a Ground Truth manifest in a "bucket": s3://quickstart/shapes/...
const string bucket = "quickstart";
var manifestKey = Workspace.WriteShapesDataset(options.ResolvedBucketsRoot, bucket, imagesPerLabel: 30);
AnsiConsole.MarkupLine($"Wrote {30 * SyntheticShapes.Labels.Length} images and [blue]s3://{bucket}/{manifestKey}[/]");

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
return 0;
