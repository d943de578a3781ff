namespace Rekognition.Core.Storage;

/// <summary>
/// One file written atomically: the bytes go to a unique temporary name in the target's folder
/// (<c>.&lt;name&gt;.&lt;guid&gt;.tmp</c>, so two writers of one file never share it), then a rename puts the whole file in
/// place; readers see the old content or the new, never half a file. Disposing without <see cref="Commit"/> (a failure
/// on the way) deletes the temporary file and leaves the old content as it was. The store, the trainers and the ONNX
/// writer all write their artifacts through this one type.
/// </summary>
public sealed class AtomicFile : IDisposable
{
    private readonly bool _flushToDisk;
    private bool _committed;

    private AtomicFile(string path, bool flushToDisk, UnixFileMode? unixCreateMode)
    {
        Path = System.IO.Path.GetFullPath(path);
        var directory = System.IO.Path.GetDirectoryName(Path)!;
        Directory.CreateDirectory(directory);
        TemporaryPath = System.IO.Path.Combine(directory, TemporaryName(System.IO.Path.GetFileName(Path)));
        _flushToDisk = flushToDisk;
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None, BufferSize = 1 << 16 };
        if (unixCreateMode is { } mode && !OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = mode;
        }

        Stream = new FileStream(TemporaryPath, options);
    }

    /// <summary>The file that <see cref="Commit"/> replaces (a full path).</summary>
    public string Path { get; }

    /// <summary>Where the bytes are written until <see cref="Commit"/>.</summary>
    public string TemporaryPath { get; }

    /// <summary>The temporary file, open for writing.</summary>
    public FileStream Stream { get; }

    /// <summary>The unique temporary name for a file named <paramref name="fileName"/>, in the same folder (hidden on Unix).</summary>
    public static string TemporaryName(string fileName) => $".{(fileName.Length > 200 ? fileName[..200] : fileName)}.{Guid.NewGuid():N}.tmp"; // within the 255 bytes of a name

    /// <summary>Starts writing <paramref name="path"/> (its folder is created); <see cref="Commit"/> puts it in place.</summary>
    /// <param name="path">The file to write.</param>
    /// <param name="flushToDisk">Whether <see cref="Commit"/> forces the bytes to the disk before the rename (checkpoints, keys: files a crash must not lose).</param>
    /// <param name="unixCreateMode">The permissions of the new file on Unix (e.g. owner-only for secrets); the process's default when null.</param>
    public static AtomicFile Begin(string path, bool flushToDisk = false, UnixFileMode? unixCreateMode = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return new AtomicFile(path, flushToDisk, unixCreateMode);
    }

    /// <summary>
    /// Closes the temporary file and renames it over <see cref="Path"/>. With <paramref name="overwrite"/> false, an
    /// existing file wins: false is returned and the temporary file is deleted (two processes creating one file agree on one).
    /// </summary>
    public bool Commit(bool overwrite = true)
    {
        ObjectDisposedException.ThrowIf(_committed, this);
        if (_flushToDisk)
        {
            Stream.Flush(flushToDisk: true);
        }

        Stream.Dispose();
        if (!overwrite && OperatingSystem.IsLinux())
        {
            // File.Move without overwrite looks, then renames: two committers at once can both "win", the second replacing
            // the first. link(2) never replaces: EEXIST means another was first, and Dispose removes this temporary file.
            if (Confinement.LinuxFileCalls.LinkAt(Confinement.LinuxFileCalls.AT_FDCWD, TemporaryPath, Confinement.LinuxFileCalls.AT_FDCWD, Path) != 0)
            {
                var error = Confinement.LinuxFileCalls.LastError;
                return error == Confinement.LinuxFileCalls.EEXIST ? false : throw new IOException($"Could not create {System.IO.Path.GetFileName(Path)} (errno {error}).");
            }

            File.Delete(TemporaryPath);
            _committed = true;
            return true;
        }

        try
        {
            File.Move(TemporaryPath, Path, overwrite);
        }
        catch (IOException) when (!overwrite && File.Exists(Path))
        {
            return false;
        }

        _committed = true;
        return true;
    }

    /// <summary>Closes the temporary file and deletes it unless it was committed.</summary>
    public void Dispose()
    {
        Stream.Dispose();
        if (!_committed)
        {
            File.Delete(TemporaryPath);
        }
    }

    /// <summary>Writes <paramref name="path"/> atomically with what <paramref name="write"/> puts in the stream, and returns its result.</summary>
    public static T Write<T>(string path, Func<Stream, T> write, bool flushToDisk = false)
    {
        ArgumentNullException.ThrowIfNull(write);
        using var file = Begin(path, flushToDisk);
        var result = write(file.Stream);
        file.Commit();
        return result;
    }

    /// <summary>Writes <paramref name="path"/> atomically with what <paramref name="write"/> puts in the stream.</summary>
    public static void Write(string path, Action<Stream> write, bool flushToDisk = false)
    {
        ArgumentNullException.ThrowIfNull(write);
        using var file = Begin(path, flushToDisk);
        write(file.Stream);
        file.Commit();
    }

    /// <summary>Writes <paramref name="path"/> atomically with what <paramref name="write"/> puts in the stream.</summary>
    public static async Task WriteAsync(string path, Func<Stream, Task> write, bool flushToDisk = false)
    {
        ArgumentNullException.ThrowIfNull(write);
        using var file = Begin(path, flushToDisk);
        await write(file.Stream).ConfigureAwait(false);
        file.Commit();
    }

    /// <summary>Copies <paramref name="source"/> to <paramref name="path"/> atomically.</summary>
    public static void Copy(string source, string path, bool flushToDisk = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(source);
        using var from = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        Write(path, from.CopyTo, flushToDisk);
    }
}
