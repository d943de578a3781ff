using Rekognition.Core.Catalog;

namespace Rekognition.Core.Services.Training;

/// <summary>Where the training and test lines come from: the project's datasets, or the legacy manifests.</summary>
internal sealed record TrainingSource(DatasetRecord? TrainDataset, DatasetRecord? TestDataset, string? TrainManifest, string? TestManifest, bool AutoSplit);
