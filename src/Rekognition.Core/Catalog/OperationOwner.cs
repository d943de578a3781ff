using System.Diagnostics;

namespace Rekognition.Core.Catalog;

/// <summary>
/// Identifies the process running a background dataset operation, so that a store opened later can tell
/// an operation still running in another process from one whose process died mid-way.
/// </summary>
public static class OperationOwner
{
    /// <summary>This process: its id and start time.</summary>
    public static readonly string Current = Describe(Process.GetCurrentProcess());

    /// <summary>Whether the process <paramref name="owner"/> names still runs on this machine.</summary>
    public static bool IsAlive(string? owner)
    {
        if (owner is null)
        {
            return false;
        }

        if (owner == Current)
        {
            return true;
        }

        var colon = owner.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || !int.TryParse(owner.AsSpan(0, colon), out var pid))
        {
            return false;
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            return Describe(process) == owner;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static string Describe(Process process) =>
        $"{process.Id}:{process.StartTime.ToUniversalTime().Ticks}";
}
