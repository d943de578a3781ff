using System.Runtime.InteropServices;

namespace Rekognition.Core.Storage.Confinement;

/// <summary>
/// The few Linux calls the confined folder needs, on x86-64 and arm64 (the flag values differ between the two).
/// Every call returns -1 and sets errno on failure, as libc does.
/// </summary>
internal static unsafe partial class LinuxFileCalls
{
    public const int ENOENT = 2;
    public const int EAGAIN = 11;
    public const int EEXIST = 17;
    public const int EXDEV = 18;
    public const int ENOTDIR = 20;
    public const int EISDIR = 21;
    public const int ENOSYS = 38;
    public const int ELOOP = 40;

    public const int AT_FDCWD = -100;
    public const int O_RDONLY = 0;
    public const int O_WRONLY = 1;
    public const int O_CREAT = 0x40;
    public const int O_EXCL = 0x80;
    public const int O_NOCTTY = 0x100;
    public const int O_NONBLOCK = 0x800;
    public const int O_CLOEXEC = 0x80000;
    public const int O_PATH = 0x200000;

    // RESOLVE_NO_MAGICLINKS: no /proc/self/fd style jumps; RESOLVE_BENEATH: no absolute link, no ".." above the start.
    public const ulong ResolveNoMagicLinks = 0x02;
    public const ulong ResolveBeneath = 0x08;

    private const long Openat2SyscallNumber = 437; // the same on every architecture (asm-generic numbering)

    public static bool IsSupportedArchitecture =>
        OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.Arm64;

    public static int O_DIRECTORY => RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? 0x4000 : 0x10000;

    public static int O_NOFOLLOW => RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? 0x8000 : 0x20000;

    [StructLayout(LayoutKind.Sequential)]
    private struct OpenHow
    {
        public ulong Flags;
        public ulong Mode;
        public ulong Resolve;
    }

    public static int Openat2(int directory, string path, int flags, int mode, ulong resolve)
    {
        var how = new OpenHow { Flags = (ulong)(uint)flags, Mode = (ulong)(uint)mode, Resolve = resolve };
        var bytes = Utf8(path);
        fixed (byte* p = bytes)
        {
            return (int)Syscall(Openat2SyscallNumber, directory, p, &how, (nuint)sizeof(OpenHow));
        }
    }

    public static int OpenAt(int directory, string path, int flags, int mode)
    {
        var bytes = Utf8(path);
        fixed (byte* p = bytes)
        {
            return OpenAtNative(directory, p, flags, mode);
        }
    }

    public static int MkdirAt(int directory, string name, int mode)
    {
        var bytes = Utf8(name);
        fixed (byte* p = bytes)
        {
            return MkdirAtNative(directory, p, (uint)mode);
        }
    }

    public static int RenameAt(int fromDirectory, string from, int toDirectory, string to)
    {
        var a = Utf8(from);
        var b = Utf8(to);
        fixed (byte* pa = a)
        fixed (byte* pb = b)
        {
            return RenameAtNative(fromDirectory, pa, toDirectory, pb);
        }
    }

    public static int LinkAt(int fromDirectory, string from, int toDirectory, string to)
    {
        var a = Utf8(from);
        var b = Utf8(to);
        fixed (byte* pa = a)
        fixed (byte* pb = b)
        {
            return LinkAtNative(fromDirectory, pa, toDirectory, pb, 0);
        }
    }

    public static int UnlinkAt(int directory, string name)
    {
        var bytes = Utf8(name);
        fixed (byte* p = bytes)
        {
            return UnlinkAtNative(directory, p, 0);
        }
    }

    public static int LastError => Marshal.GetLastPInvokeError();

    private static byte[] Utf8(string value)
    {
        var bytes = new byte[System.Text.Encoding.UTF8.GetByteCount(value) + 1];
        System.Text.Encoding.UTF8.GetBytes(value, bytes);
        return bytes;
    }

    // syscall(2) is variadic; on x86-64 and arm64 Linux variadic integer arguments travel in the same registers as fixed ones.
    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static partial long Syscall(long number, long directory, byte* path, OpenHow* how, nuint size);

    [LibraryImport("libc", EntryPoint = "openat", SetLastError = true)]
    private static partial int OpenAtNative(int directory, byte* path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "mkdirat", SetLastError = true)]
    private static partial int MkdirAtNative(int directory, byte* path, uint mode);

    [LibraryImport("libc", EntryPoint = "renameat", SetLastError = true)]
    private static partial int RenameAtNative(int fromDirectory, byte* from, int toDirectory, byte* to);

    [LibraryImport("libc", EntryPoint = "linkat", SetLastError = true)]
    private static partial int LinkAtNative(int fromDirectory, byte* from, int toDirectory, byte* to, int flags);

    [LibraryImport("libc", EntryPoint = "unlinkat", SetLastError = true)]
    private static partial int UnlinkAtNative(int directory, byte* path, int flags);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);
}
