using Rekognition.Core;
using Rekognition.Core.Model;

// Usage: ImportHost <storeRoot> <bucketsRoot> <bucket> <manifestKey>
// Creates project "victim" with a TRAIN dataset imported from s3://<bucket>/<manifestKey>, prints
// "STARTED <datasetArn>" once the import runs in the background, then waits to be killed.
var client = new RekognitionCustomLabelsClient(new RekognitionOptions
{
    StoreRoot = args[0],
    BucketsRoot = args[1],
    CheckImages = false,
    // A short lease, so that the host opened after the kill takes the import over within seconds.
    Host = new RekognitionHostOptions { LeaseDuration = TimeSpan.FromSeconds(2), PollInterval = TimeSpan.FromMilliseconds(100) },
});
var project = await client.CreateProjectAsync(new CreateProjectRequest { ProjectName = "victim" });
var dataset = await client.CreateDatasetAsync(new CreateDatasetRequest
{
    ProjectArn = project.ProjectArn,
    DatasetType = DatasetType.TRAIN,
    DatasetSource = new DatasetSource
    {
        GroundTruthManifest = new GroundTruthManifest { S3Object = new S3Object { Bucket = args[2], Name = args[3] } },
    },
});
Console.WriteLine($"STARTED {dataset.DatasetArn}");
await Task.Delay(Timeout.Infinite);
