// Written as code for the AWS SDK for .NET (AWSSDK.Rekognition) is written, in the shape of the AWS
// documentation's C# examples. Porting it changed only these using lines, which were
//     using Amazon.Rekognition;
//     using Amazon.Rekognition.Model;
//     using Amazon.Runtime;
// and the client's construction, which the caller passes in (new AmazonRekognitionClient() there).
// Nothing below may use a member the SDK does not have: this file is the fidelity check. Nullable checks
// are on, as in a new project: the SDK's shapes carry no annotations, so such code has no warnings.
using System.Net;
using Amazon.Runtime;
using Rekognition.Core;
using Rekognition.Core.Model;

namespace Rekognition.Core.Tests.SdkFidelity;

/// <summary>What one run of <see cref="SdkStyleWorkflow"/> saw, for the test to check.</summary>
internal sealed class SdkStyleWorkflowReport
{
    public string? ProjectArn { get; set; }
    public bool ProjectExisted { get; set; }
    public string? ExistsErrorCode { get; set; }
    public List<string> ProjectNames { get; } = new();
    public List<string> LabelNames { get; } = new();
    public int EntryCount { get; set; }
    public int EntryPages { get; set; }
    public int PolicyCount { get; set; }
    public ProjectVersionStatus? TrainedStatus { get; set; }
    public int VersionCount { get; set; }
    public HttpStatusCode DetectStatus { get; set; }
    public string? DetectRequestId { get; set; }
    public List<string> DetectedLabels { get; } = new();
    public string? MissingErrorCode { get; set; }
    public HttpStatusCode MissingStatusCode { get; set; }
    public ErrorType MissingErrorType { get; set; }
    public string? MissingRequestId { get; set; }
    public string? NotFoundMessage { get; set; }
    public ProjectVersionStatus? StoppedStatus { get; set; }
}

/// <summary>Creates a project from two manifests, trains, runs, detects and stops a model, as an SDK user would.</summary>
internal static class SdkStyleWorkflow
{
    public static async Task<SdkStyleWorkflowReport> RunAsync(
        Func<IAmazonRekognition> createClient, string projectName, string versionName, S3Object trainManifest, S3Object testManifest, byte[] image)
    {
        var report = new SdkStyleWorkflowReport();
        using var client = createClient();
        var projectArn = string.Empty;

        // Create the project; when it exists (a second run), find it through the paginator.
        try
        {
            var created = await client.CreateProjectAsync(new CreateProjectRequest { ProjectName = projectName });
            projectArn = created.ProjectArn;
        }
        catch (AmazonRekognitionException e) when (e.ErrorCode == "ResourceInUseException")
        {
            report.ProjectExisted = true;
            report.ExistsErrorCode = e.ErrorCode;
            await foreach (var project in client.Paginators.DescribeProjects(new DescribeProjectsRequest { ProjectNames = new List<string> { projectName } }).ProjectDescriptions)
            {
                projectArn = project.ProjectArn;
            }
        }

        report.ProjectArn = projectArn;
        if (!report.ProjectExisted)
        {
            foreach (var (type, manifest) in new[] { (DatasetType.TRAIN, trainManifest), (DatasetType.TEST, testManifest) })
            {
                var dataset = await client.CreateDatasetAsync(new CreateDatasetRequest
                {
                    ProjectArn = projectArn,
                    DatasetType = type,
                    DatasetSource = new DatasetSource { GroundTruthManifest = new GroundTruthManifest { S3Object = manifest } },
                });
                DatasetDescription description;
                do
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(50));
                    description = (await client.DescribeDatasetAsync(new DescribeDatasetRequest { DatasetArn = dataset.DatasetArn })).DatasetDescription;
                }
                while (description.Status == DatasetStatus.CREATE_IN_PROGRESS);

                if (description.Status != DatasetStatus.CREATE_COMPLETE)
                {
                    throw new InvalidOperationException($"Dataset {dataset.DatasetArn}: {description.Status} {description.StatusMessage}");
                }
            }
        }

        await foreach (var project in client.Paginators.DescribeProjects(new DescribeProjectsRequest { MaxResults = 1 }).ProjectDescriptions)
        {
            report.ProjectNames.Add(project.ProjectArn.Split('/')[1]);
        }

        var trainArn = (await client.DescribeProjectsAsync(new DescribeProjectsRequest { ProjectNames = new List<string> { projectName } }))
            .ProjectDescriptions[0].Datasets.First(d => d.DatasetType == DatasetType.TRAIN).DatasetArn;
        await foreach (var label in client.Paginators.ListDatasetLabels(new ListDatasetLabelsRequest { DatasetArn = trainArn, MaxResults = 1 }).DatasetLabelDescriptions)
        {
            report.LabelNames.Add(label.LabelName);
        }

        var pages = client.Paginators.ListDatasetEntries(new ListDatasetEntriesRequest { DatasetArn = trainArn, MaxResults = 3 });
        await foreach (var page in pages.Responses)
        {
            report.EntryPages++;
            report.EntryCount += page.DatasetEntries.Count;
        }

        await client.PutProjectPolicyAsync(new PutProjectPolicyRequest
        {
            ProjectArn = projectArn,
            PolicyName = "copy-" + versionName,
            PolicyDocument = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::210987654321:root\"},"
                + "\"Action\":\"rekognition:CopyProjectVersion\",\"Resource\":\"" + projectArn + "/version/*\"}]}",
        });
        await foreach (var policy in client.Paginators.ListProjectPolicies(new ListProjectPoliciesRequest { ProjectArn = projectArn, MaxResults = 1 }).ProjectPolicies)
        {
            report.PolicyCount++;
        }

        // Train, and wait as the examples do: poll DescribeProjectVersions until training has ended.
        var version = await client.CreateProjectVersionAsync(new CreateProjectVersionRequest
        {
            ProjectArn = projectArn,
            VersionName = versionName,
            OutputConfig = new OutputConfig { S3Bucket = "artifacts", S3KeyPrefix = projectName + "/" },
        });
        var describeVersion = new DescribeProjectVersionsRequest { ProjectArn = projectArn, VersionNames = new List<string> { versionName } };
        ProjectVersionDescription trained;
        do
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50));
            trained = (await client.DescribeProjectVersionsAsync(describeVersion)).ProjectVersionDescriptions[0];
        }
        while (trained.Status == ProjectVersionStatus.TRAINING_IN_PROGRESS);

        report.TrainedStatus = trained.Status;
        if (trained.Status != ProjectVersionStatus.TRAINING_COMPLETED)
        {
            throw new InvalidOperationException($"Training failed: {trained.StatusMessage}");
        }

        await foreach (var description in client.Paginators.DescribeProjectVersions(new DescribeProjectVersionsRequest { ProjectArn = projectArn, MaxResults = 1 }).ProjectVersionDescriptions)
        {
            report.VersionCount++;
        }

        await client.StartProjectVersionAsync(new StartProjectVersionRequest { ProjectVersionArn = version.ProjectVersionArn, MinInferenceUnits = 1 });
        ProjectVersionStatus status;
        do
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50));
            status = (await client.DescribeProjectVersionsAsync(describeVersion)).ProjectVersionDescriptions[0].Status;
        }
        while (status == ProjectVersionStatus.STARTING);

        using (var bytes = new MemoryStream(image))
        {
            var detected = await client.DetectCustomLabelsAsync(new DetectCustomLabelsRequest
            {
                ProjectVersionArn = version.ProjectVersionArn,
                Image = new Image { Bytes = bytes },
                MinConfidence = 50F,
            });
            report.DetectStatus = detected.HttpStatusCode;
            report.DetectRequestId = detected.ResponseMetadata.RequestId;
            foreach (var label in detected.CustomLabels)
            {
                report.DetectedLabels.Add(label.Name);
            }
        }

        // Errors as the SDK raises them: any service error is an AmazonServiceException.
        var projectPrefix = projectArn.Substring(0, projectArn.LastIndexOf('/'));
        try
        {
            await client.StartProjectVersionAsync(new StartProjectVersionRequest { ProjectVersionArn = projectPrefix + "/version/missing/1", MinInferenceUnits = 1 });
        }
        catch (AmazonServiceException e)
        {
            report.MissingErrorCode = e.ErrorCode;
            report.MissingStatusCode = e.StatusCode;
            report.MissingErrorType = e.ErrorType;
            report.MissingRequestId = e.RequestId;
        }

        try
        {
            await client.DescribeDatasetAsync(new DescribeDatasetRequest { DatasetArn = projectPrefix + "/dataset/train/1" });
        }
        catch (ResourceNotFoundException e)
        {
            report.NotFoundMessage = e.Message;
        }

        await client.StopProjectVersionAsync(new StopProjectVersionRequest { ProjectVersionArn = version.ProjectVersionArn });
        do
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50));
            status = (await client.DescribeProjectVersionsAsync(describeVersion)).ProjectVersionDescriptions[0].Status;
        }
        while (status == ProjectVersionStatus.STOPPING);

        report.StoppedStatus = status;
        return report;
    }
}
