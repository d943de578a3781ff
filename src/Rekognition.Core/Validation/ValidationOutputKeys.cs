using Rekognition.Core.Storage;

namespace Rekognition.Core.Validation;

/// <summary>Where <see cref="TrainingManifestValidation"/> puts its three result files: objects of <paramref name="Objects"/>, at keys the store made.</summary>
/// <param name="Objects">The object store written to.</param>
/// <param name="Summary">The key of <c>manifest_summary.json</c>.</param>
/// <param name="TrainingManifest">The key of the annotated training manifest.</param>
/// <param name="TestingManifest">The key of the annotated test manifest.</param>
internal sealed record ValidationOutputKeys(IObjectStore Objects, string Summary, string TrainingManifest, string TestingManifest);
