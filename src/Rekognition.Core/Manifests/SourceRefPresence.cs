namespace Rekognition.Core.Manifests;

/// <summary>What a line holds under <c>source-ref</c>.</summary>
internal enum SourceRefPresence
{
    /// <summary>No <c>source-ref</c> key.</summary>
    Missing,

    /// <summary>The key is there but its value is not a JSON string.</summary>
    NotAString,

    /// <summary>A string value.</summary>
    Present,
}
