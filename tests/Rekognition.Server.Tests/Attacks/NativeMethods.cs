using System.Runtime.InteropServices;

namespace Rekognition.Server.Tests.Attacks;

/// <summary>rename(2), which .NET's File.Move does not offer for a link to a folder: swaps a link atomically.</summary>
internal static class NativeMethods
{
    [DllImport("libc", EntryPoint = "rename", SetLastError = true)]
    private static extern int Rename([MarshalAs(UnmanagedType.LPUTF8Str)] string from, [MarshalAs(UnmanagedType.LPUTF8Str)] string to);

    public static void ReplaceWith(string from, string to)
    {
        if (Rename(from, to) != 0)
        {
            throw new IOException($"rename failed with errno {Marshal.GetLastPInvokeError()}");
        }
    }
}
