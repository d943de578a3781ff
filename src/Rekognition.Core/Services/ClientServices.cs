using Rekognition.Core.Services.Copying;
using Rekognition.Core.Services.Datasets;
using Rekognition.Core.Services.Hosting;
using Rekognition.Core.Services.Jobs;
using Rekognition.Core.Services.Policies;
using Rekognition.Core.Services.Projects;
using Rekognition.Core.Services.Startup;
using Rekognition.Core.Services.Tags;
using Rekognition.Core.Services.Training;
using Rekognition.Core.Services.Versions;

namespace Rekognition.Core.Services;

/// <summary>The internal services <see cref="RekognitionCustomLabelsClient"/> maps the service's operations onto, and the work it stops when disposed.</summary>
internal sealed record ClientServices(
    RekognitionOptions Options,
    StoreStartup Startup,
    ProjectService Projects,
    DatasetService Datasets,
    TrainingService Training,
    VersionService Versions,
    HostingService Hosting,
    CopyService Copies,
    PolicyService Policies,
    TagService Tags,
    BackgroundOperations Background,
    RunningModels Running,
    Trainings Trainings,
    JobRunner Jobs,
    ServingSync Serving);
