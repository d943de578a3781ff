namespace Rekognition.Core.Storage.Confinement;

/// <summary>How a <see cref="ConfinedDirectory"/> keeps opens beneath its root.</summary>
internal enum ConfinementMode
{
    /// <summary>Linux 5.6 and later: <c>openat2</c> with <c>RESOLVE_BENEATH</c>; the kernel refuses any walk out, races included.</summary>
    Openat2,

    /// <summary>Linux without <c>openat2</c>: open first, then check where the open handle really is (<c>/proc/self/fd/N</c>).</summary>
    OpenThenCheck,

    /// <summary>Other systems: open, then follow every link of the path (uncached) and check the result; a race between the two is not excluded.</summary>
    PathCheck,
}
