namespace Climux.Core.Platform;

/// <summary>
/// The files and folders Climux creates, with explicit modes whatever the umask: owner-only for
/// what holds prompts and agent output (the store, logs, CLIMUX_HOME), or the given mode (a
/// project's .climux/ is meant to be shared). What already exists is left as it is: CLIMUX_HOME may
/// name a folder of the user's (even /tmp), whose mode is theirs. On Windows the user profile's
/// inherited ACL already gives owner-only access, and nothing here changes it.
/// </summary>
public static class OwnerOnly
{
    public const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>rwxr-xr-x: a folder others may read, such as a repository's .climux/.</summary>
    public const UnixFileMode SharedDirectoryMode = DirectoryMode | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    /// <summary>rw-r--r--: a file others may read, such as a repository's .climux/config.yaml.</summary>
    public const UnixFileMode SharedFileMode = FileMode | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private const UnixFileMode WritableByOthers = UnixFileMode.GroupWrite | UnixFileMode.OtherWrite;

    /// <summary>Creates the folder, and any missing parent, with <paramref name="mode"/>; an existing folder is left as it is.</summary>
    public static void EnsureDirectory(string path, UnixFileMode mode = DirectoryMode)
    {
        path = Path.GetFullPath(path);
        if (Directory.Exists(path))
            return;
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }
        // The folders this call creates, outermost first: only those get the mode.
        var missing = new List<string>();
        for (var folder = path; folder is not null && !Directory.Exists(folder); folder = Path.GetDirectoryName(folder))
            missing.Insert(0, folder);
        foreach (var folder in missing)
        {
            try
            {
                Directory.CreateDirectory(folder, mode);
            }
            catch (IOException) when (Directory.Exists(folder))
            {
                continue; // another process made it first: its mode is that process's business
            }
            File.SetUnixFileMode(folder, mode); // mkdir's mode is masked by the umask; this is not
        }
    }

    /// <summary>Creates the file empty, owner-only, if it is missing; an existing file is left as it is.</summary>
    public static void EnsureFile(string path)
    {
        if (File.Exists(path))
            return;
        using (Create(path, append: true, share: FileShare.ReadWrite | FileShare.Delete)) { }
    }

    /// <summary>
    /// Opens a file for writing (appending, or from empty); a file it creates is owner-only from its
    /// first byte (or <paramref name="newFileMode"/>), an existing one keeps its mode.
    /// </summary>
    public static FileStream Create(string path, bool append = false, UnixFileMode newFileMode = FileMode, FileShare share = FileShare.Read | FileShare.Delete)
    {
        var options = new FileStreamOptions
        {
            Mode = append ? System.IO.FileMode.Append : System.IO.FileMode.Create,
            Access = FileAccess.Write,
            Share = share,
        };
        var created = !File.Exists(path);
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = newFileMode & FileMode; // no one else may read it before the mode below is set
        var stream = new FileStream(path, options);
        if (created && !OperatingSystem.IsWindows())
            File.SetUnixFileMode(path, newFileMode);
        return stream;
    }

    /// <summary>
    /// Writes through a temporary file and a rename, so readers never see half a file. A new file
    /// gets <paramref name="newFileMode"/>; a file replaced keeps the mode it had.
    /// </summary>
    public static void WriteAllTextAtomic(string path, string text, UnixFileMode newFileMode = FileMode)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var temp = Path.Combine(directory, $".{Path.GetFileName(path)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = Create(temp))
            using (var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(false)))
                writer.Write(text);
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(temp, File.Exists(path) ? File.GetUnixFileMode(path) : newFileMode);
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
                File.Delete(temp);
        }
    }

    /// <summary>A warning when the existing folder <paramref name="path"/> is writable by other users; null otherwise.</summary>
    public static string? WritableByOthersWarning(string path, string what)
    {
        if (OperatingSystem.IsWindows() || !Directory.Exists(path))
            return null;
        var mode = File.GetUnixFileMode(path);
        if ((mode & WritableByOthers) == 0)
            return null;
        var octal = Convert.ToString((int)mode, 8);
        return $"{what} '{path}' is writable by other users (mode {octal}): they could replace or read what Climux keeps there. " +
            "Climux leaves an existing folder's mode alone; point it at a folder of your own (Climux creates a missing one readable by you only).";
    }
}
