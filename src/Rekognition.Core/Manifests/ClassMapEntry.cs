namespace Rekognition.Core.Manifests;

/// <summary>One <c>class-map</c> entry: a class id and the label name it stands for.</summary>
/// <param name="ClassId">The id (a string key holding an integer in the JSON).</param>
/// <param name="LabelName">The label.</param>
internal readonly record struct ClassMapEntry(int ClassId, string LabelName);
