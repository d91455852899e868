namespace Climux.Core.Platform;

/// <summary>
/// Files and folders that only their owner may read: the store and logs hold prompts and agent output.
/// On Windows the user profile's inherited ACL already gives that; on Unix the mode bits are set here.
/// </summary>
public static class OwnerOnly
{
    private const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode GroupAndOther =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    public static void EnsureDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }
        Directory.CreateDirectory(path, DirectoryMode);
        Tighten(path, DirectoryMode);
    }

    /// <summary>Creates the file empty if it is missing; either way leaves it owner-only.</summary>
    public static void EnsureFile(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            using (File.Open(path, System.IO.FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite)) { }
            return;
        }
        var options = new FileStreamOptions
        {
            Mode = System.IO.FileMode.OpenOrCreate,
            Access = FileAccess.ReadWrite,
            Share = FileShare.ReadWrite | FileShare.Delete,
            UnixCreateMode = FileMode,
        };
        using (new FileStream(path, options)) { }
        Tighten(path, FileMode);
    }

    /// <summary>Opens a new or truncated file for writing, owner-only from its first byte.</summary>
    public static FileStream Create(string path, bool append = false)
    {
        var options = new FileStreamOptions
        {
            Mode = append ? System.IO.FileMode.Append : System.IO.FileMode.Create,
            Access = FileAccess.Write,
            Share = FileShare.Read | FileShare.Delete,
        };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = FileMode;
        var stream = new FileStream(path, options);
        if (!OperatingSystem.IsWindows())
            Tighten(path, FileMode);
        return stream;
    }

    /// <summary>Writes through a temporary file and a rename, so readers never see half a file.</summary>
    public static void WriteAllTextAtomic(string path, string text)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var temp = Path.Combine(directory, $".{Path.GetFileName(path)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = Create(temp))
            using (var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(false)))
                writer.Write(text);
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
                File.Delete(temp);
        }
    }

    private static void Tighten(string path, UnixFileMode wanted)
    {
        if (OperatingSystem.IsWindows())
            return;
        var mode = File.GetUnixFileMode(path);
        if ((mode & GroupAndOther) != 0 || (mode & wanted) != wanted)
            File.SetUnixFileMode(path, (mode & ~GroupAndOther) | wanted);
    }
}
