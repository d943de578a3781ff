namespace Rekognition.Core.Storage.Confinement;

/// <summary>A path beneath a root led outside it (a symbolic link out, or a folder swapped for one).</summary>
internal sealed class PathEscapeException(string relativePath)
    : IOException($"'{relativePath}' leads outside its root folder through a symbolic link.")
{
    /// <summary>The path beneath the root, as asked (never the machine path).</summary>
    public string RelativePath { get; } = relativePath;
}
