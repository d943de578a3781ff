using Microsoft.Win32.SafeHandles;
using static Rekognition.Core.Storage.Confinement.LinuxFileCalls;

namespace Rekognition.Core.Storage.Confinement;

/// <summary>Why <c>ConfinedDirectory.OpenRead</c> gave no stream.</summary>
internal enum ConfinedOpenFailure
{
    None,
    InvalidPath,
    NotFound,
    OutsideRoot,
    NotAFile,

    /// <summary>A remote bucket refused it (S3 buckets).</summary>
    AccessDenied,
}

/// <summary>
/// Reads files, and creates folders and files, strictly beneath one root folder: whatever symbolic links the
/// folders beneath hold, nothing outside the root is opened, created or replaced. On Linux the kernel confines
/// the walk itself (<c>openat2</c> with <c>RESOLVE_BENEATH</c>) or the open handle's real path is checked; links
/// that stay beneath the root are followed. Nothing is cached: every call walks the tree as it is now.
/// </summary>
internal sealed class ConfinedDirectory
{
    private static readonly Lazy<ConfinementMode> Detected = new(Detect);

    public ConfinedDirectory(string root, ConfinementMode? mode = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        Root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        Mode = mode ?? Detected.Value;
    }

    /// <summary>The mode this machine supports best.</summary>
    public static ConfinementMode DefaultMode => Detected.Value;

    /// <summary>The root folder (operator configuration, trusted).</summary>
    public string Root { get; }

    public ConfinementMode Mode { get; }

    /// <summary>Opens a regular file beneath the root for reading, or returns null (and why).</summary>
    public FileStream? OpenRead(string relativePath, out ConfinedOpenFailure failure, int bufferSize = 4096)
    {
        if (!RelativePath.TrySplit(relativePath, out var segments))
        {
            failure = ConfinedOpenFailure.InvalidPath;
            return null;
        }

        return Mode == ConfinementMode.PathCheck ? OpenReadChecked(segments, out failure, bufferSize) : OpenReadLinux(segments, out failure, bufferSize);
    }

    /// <summary>Opens a regular file beneath the root for reading, or returns null when it is missing or not beneath the root.</summary>
    public FileStream? OpenRead(string relativePath) => OpenRead(relativePath, out _);

    /// <summary>Whether a regular file is there, beneath the root.</summary>
    public bool FileExists(string relativePath)
    {
        using var stream = OpenRead(relativePath, out _, bufferSize: 1);
        return stream is not null;
    }

    /// <summary>Creates the root folder itself when it is not there (operator configuration: nothing to confine).</summary>
    public void CreateRoot() => Directory.CreateDirectory(Root);

    /// <summary>Creates the folder and its parents beneath the root.</summary>
    /// <exception cref="PathEscapeException">A folder on the way is a link out of the root.</exception>
    public void CreateDirectory(string relativePath)
    {
        var segments = RelativePath.Split(relativePath);
        if (Mode == ConfinementMode.PathCheck)
        {
            EnsureDirectoryChecked(segments, relativePath);
            return;
        }

        Close(EnsureDirectoryLinux(segments, relativePath));
    }

    /// <summary>
    /// Writes a file beneath the root under a new unique name, then renames it over <paramref name="relativePath"/>:
    /// readers see the old or the new content, never half a file, and a link of that name is replaced, not followed.
    /// </summary>
    /// <exception cref="PathEscapeException">A folder on the way is a link out of the root.</exception>
    public Task WriteFileAsync(string relativePath, Func<Stream, Task> write) =>
        WriteFileCoreAsync(relativePath, write, overwrite: true, ownerOnly: false);

    /// <summary>
    /// Creates <paramref name="relativePath"/> unless a file of that name is there (put-if-absent): written whole under a
    /// unique name and flushed to the disk, then linked into place without replacing anything, so of several creators
    /// at once exactly one wins and the others get false. <paramref name="ownerOnly"/>: readable by the owner only (secrets).
    /// </summary>
    /// <exception cref="PathEscapeException">A folder on the way is a link out of the root.</exception>
    public Task<bool> CreateFileAsync(string relativePath, Func<Stream, Task> write, bool ownerOnly) =>
        WriteFileCoreAsync(relativePath, write, overwrite: false, ownerOnly);

    private async Task<bool> WriteFileCoreAsync(string relativePath, Func<Stream, Task> write, bool overwrite, bool ownerOnly)
    {
        ArgumentNullException.ThrowIfNull(write);
        var segments = RelativePath.Split(relativePath);
        var folder = segments[..^1];
        var name = segments[^1];
        if (Mode == ConfinementMode.PathCheck)
        {
            var directory = EnsureDirectoryChecked(folder, relativePath);
            using var file = AtomicFile.Begin(Path.Combine(directory, name), flushToDisk: !overwrite,
                unixCreateMode: ownerOnly ? UnixFileMode.UserRead | UnixFileMode.UserWrite : null);
            await write(file.Stream).ConfigureAwait(false);
            return file.Commit(overwrite);
        }

        // The same writer's scheme through descriptors: the unique temporary name, the rename (or link), the clean-up on failure.
        var temporary = AtomicFile.TemporaryName(name);
        var directoryFd = EnsureDirectoryLinux(folder, relativePath);
        var renamed = false;
        try
        {
            // One name in a folder already confined, O_EXCL|O_NOFOLLOW: nothing else can be created or opened here.
            var fd = OpenAt(directoryFd, temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, ownerOnly ? 384 /* 0600 */ : 420 /* 0644 */);
            if (fd < 0)
            {
                throw Failure(LastError, relativePath, "create a file in");
            }

            await using (var stream = new FileStream(new SafeFileHandle(fd, ownsHandle: true), FileAccess.Write, 1 << 16))
            {
                await write(stream).ConfigureAwait(false);
                if (!overwrite)
                {
                    stream.Flush(flushToDisk: true); // what is created once is kept: a crash must not leave it empty
                }
            }

            if (!overwrite)
            {
                // link(2) never replaces: EEXIST means another creator was first, and its file stays. The temporary name goes in finally.
                if (LinkAt(directoryFd, temporary, directoryFd, name) == 0)
                {
                    return true;
                }

                return LastError == EEXIST ? false : throw Failure(LastError, relativePath, "create");
            }

            if (RenameAt(directoryFd, temporary, directoryFd, name) != 0)
            {
                throw Failure(LastError, relativePath, "replace");
            }

            renamed = true;
            return true;
        }
        finally
        {
            if (!renamed)
            {
                UnlinkAt(directoryFd, temporary);
            }

            Close(directoryFd);
        }
    }

    /// <summary>The synchronous form of <see cref="WriteFileAsync"/>.</summary>
    public void WriteFile(string relativePath, Action<Stream> write) =>
        WriteFileAsync(relativePath, stream =>
        {
            write(stream);
            return Task.CompletedTask;
        }).GetAwaiter().GetResult();

    private FileStream? OpenReadLinux(string[] segments, out ConfinedOpenFailure failure, int bufferSize)
    {
        var rootFd = OpenAt(AT_FDCWD, Root, O_PATH | O_DIRECTORY | O_CLOEXEC, 0);
        if (rootFd < 0)
        {
            failure = ConfinedOpenFailure.NotFound;
            return null;
        }

        try
        {
            var fd = OpenBeneath(rootFd, string.Join('/', segments), O_RDONLY | O_NOCTTY, out var errno);
            if (fd < 0)
            {
                failure = errno is EXDEV or ELOOP ? ConfinedOpenFailure.OutsideRoot : errno == EISDIR ? ConfinedOpenFailure.NotAFile : ConfinedOpenFailure.NotFound;
                return null;
            }

            var handle = new SafeFileHandle(fd, ownsHandle: true);
            if ((File.GetAttributes(handle) & FileAttributes.Directory) != 0)
            {
                handle.Dispose();
                failure = ConfinedOpenFailure.NotAFile;
                return null;
            }

            failure = ConfinedOpenFailure.None;
            return new FileStream(handle, FileAccess.Read, bufferSize);
        }
        finally
        {
            Close(rootFd);
        }
    }

    /// <summary>Opens <paramref name="relative"/> beneath the root's descriptor; -1 with errno EXDEV when it leads out.</summary>
    private int OpenBeneath(int rootFd, string relative, int flags, out int errno)
    {
        if (Mode == ConfinementMode.Openat2)
        {
            for (var attempt = 0; ; attempt++)
            {
                var fd = Openat2(rootFd, relative, flags | O_CLOEXEC, 0, ResolveBeneath | ResolveNoMagicLinks);
                errno = fd < 0 ? LastError : 0;
                // EAGAIN: a rename elsewhere raced the walk; the kernel asks to try again.
                if (fd >= 0 || errno != EAGAIN || attempt == 16)
                {
                    return fd;
                }
            }
        }

        var opened = OpenAt(rootFd, relative, flags | O_CLOEXEC, 0);
        if (opened < 0)
        {
            errno = LastError;
            return -1;
        }

        if (!IsBeneath(opened, rootFd))
        {
            Close(opened);
            errno = EXDEV;
            return -1;
        }

        errno = 0;
        return opened;
    }

    /// <summary>Where the open handle really is, checked against where the root really is (the kernel's own answer for both).</summary>
    private static bool IsBeneath(int fd, int rootFd)
    {
        var real = HandlePath(fd);
        var root = HandlePath(rootFd);
        if (real is null || root is null)
        {
            return false;
        }

        var rootWithSeparator = root.EndsWith('/') ? root : root + "/";
        return real == root || real.StartsWith(rootWithSeparator, StringComparison.Ordinal);
    }

    private static string? HandlePath(int fd)
    {
        try
        {
            return new FileInfo($"/proc/self/fd/{fd}").LinkTarget;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>Opens (creating as needed) each folder in turn beneath the root; returns the last one's descriptor (O_PATH).</summary>
    private int EnsureDirectoryLinux(string[] segments, string relativePath)
    {
        Directory.CreateDirectory(Root);
        var rootFd = OpenAt(AT_FDCWD, Root, O_PATH | O_DIRECTORY | O_CLOEXEC, 0);
        if (rootFd < 0)
        {
            throw new IOException($"The root folder of '{relativePath}' cannot be opened (errno {LastError}).");
        }

        var current = rootFd;
        var succeeded = false;
        try
        {
            for (var i = 0; i < segments.Length; i++)
            {
                var prefix = string.Join('/', segments, 0, i + 1);
                var fd = OpenBeneath(rootFd, prefix, O_PATH | O_DIRECTORY, out var errno);
                if (fd < 0 && errno == ENOENT)
                {
                    // One name in a folder already confined: mkdirat cannot create anything elsewhere.
                    if (MkdirAt(current, segments[i], 511 /* 0777, less the umask */) != 0 && LastError != EEXIST)
                    {
                        throw Failure(LastError, relativePath, "create a folder in");
                    }

                    fd = OpenBeneath(rootFd, prefix, O_PATH | O_DIRECTORY, out errno);
                }

                if (fd < 0)
                {
                    throw Failure(errno, relativePath, "open a folder of");
                }

                if (current != rootFd)
                {
                    Close(current);
                }

                current = fd;
            }

            succeeded = true;
            return current;
        }
        finally
        {
            if (!succeeded && current != rootFd)
            {
                Close(current);
            }

            if (!succeeded || current != rootFd)
            {
                Close(rootFd);
            }
        }
    }

    private static IOException Failure(int errno, string relativePath, string what) => errno switch
    {
        EXDEV or ELOOP => new PathEscapeException(relativePath),
        ENOTDIR => new IOException($"Cannot {what} '{relativePath}': a part of it is a file, not a folder."),
        EISDIR => new IOException($"Cannot {what} '{relativePath}': it is a folder."),
        _ => new IOException($"Cannot {what} '{relativePath}' (errno {errno})."),
    };

    private FileStream? OpenReadChecked(string[] segments, out ConfinedOpenFailure failure, int bufferSize)
    {
        var path = Path.Combine([Root, .. segments]);
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            failure = Directory.Exists(path) ? ConfinedOpenFailure.NotAFile : ConfinedOpenFailure.NotFound;
            return null;
        }

        bool beneath;
        try
        {
            beneath = PhysicalPath.IsBeneath(PhysicalPath.Resolve(path), PhysicalPath.Resolve(Root));
        }
        catch (IOException)
        {
            beneath = false; // a loop of links
        }

        if (!beneath)
        {
            stream.Dispose();
            failure = ConfinedOpenFailure.OutsideRoot;
            return null;
        }

        failure = ConfinedOpenFailure.None;
        return stream;
    }

    private string EnsureDirectoryChecked(string[] segments, string relativePath)
    {
        Directory.CreateDirectory(Root);
        var root = PhysicalPath.Resolve(Root);
        var current = Root;
        foreach (var segment in segments)
        {
            current = Path.Combine(current, segment);
            Directory.CreateDirectory(current);
            if (!PhysicalPath.IsBeneath(PhysicalPath.Resolve(current), root))
            {
                throw new PathEscapeException(relativePath);
            }
        }

        return current;
    }

    private static ConfinementMode Detect()
    {
        if (!IsSupportedArchitecture)
        {
            return ConfinementMode.PathCheck;
        }

        var fd = Openat2(AT_FDCWD, "/", O_PATH | O_DIRECTORY | O_CLOEXEC, 0, 0);
        if (fd >= 0)
        {
            Close(fd);
            return ConfinementMode.Openat2;
        }

        return Directory.Exists("/proc/self/fd") ? ConfinementMode.OpenThenCheck : ConfinementMode.PathCheck;
    }
}
