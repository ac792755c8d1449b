using System.Globalization;

namespace InternetMonitor.Probe.Storage;

/// <summary>
/// How the probe, often root, touches files in its data folder: it follows no symbolic link there (a link planted in
/// place of its database or a temporary file would make it write into the link's target), creates files exclusively
/// (O_CREAT|O_EXCL refuses any existing path, a link included) and owner-only, and replaces files by rename (which
/// replaces a link itself, not its target).
/// </summary>
public static class DataFiles
{
    /// <summary>rwx------: the data folder, created so.</summary>
    public const UnixFileMode OwnerOnlyFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>rw-------: every file the probe creates (SQLite gives -wal and -shm the database's own mode).</summary>
    public const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>The database and the files SQLite keeps beside it (WAL, shared memory, rollback journal).</summary>
    public static IReadOnlyList<string> DatabaseFiles(string database) => [database, database + "-wal", database + "-shm", database + "-journal"];

    /// <summary>The target of <paramref name="path"/> when it is a symbolic link (dangling or not), else null; the link is not followed.</summary>
    public static string? LinkTarget(string path) => new FileInfo(path).LinkTarget;

    /// <summary>The sentence that refuses <paramref name="path"/>, a symbolic link to <paramref name="target"/>.</summary>
    public static string Refusal(string path, string target) =>
        $"{path} is a symbolic link (to {target}): the probe follows no link in its data folder; remove the link";

    /// <summary>The refusal of the first of <paramref name="database"/>'s files (<see cref="DatabaseFiles"/>) that is a symbolic link; null when none is.</summary>
    public static string? LinkedDatabaseFile(string database)
    {
        foreach (var file in DatabaseFiles(database))
        {
            if (LinkTarget(file) is { } target)
            {
                return Refusal(file, target);
            }
        }

        return null;
    }

    /// <summary>Creates <paramref name="folder"/> and any missing parent owner-only; an existing one is left as it is.</summary>
    public static void CreateFolder(string folder)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
            return;
        }

        // Directory.CreateDirectory(path, mode) gives the mode to the last folder only: each missing one is made so, from the top.
        var missing = new Stack<string>();
        for (var current = Path.GetFullPath(folder); !string.IsNullOrEmpty(current) && !Directory.Exists(current); current = Path.GetDirectoryName(current))
        {
            missing.Push(current);
        }

        while (missing.TryPop(out var next))
        {
            Directory.CreateDirectory(next, OwnerOnlyFolder);
        }
    }

    /// <summary>
    /// A new owner-only file at <paramref name="path"/> to write, created exclusively: whatever is left there first
    /// deleted (a link: the link, never its target), and if something appears again meanwhile, an IOException.
    /// </summary>
    public static FileStream CreateNew(string path)
    {
        File.Delete(path);
        return new FileStream(path, Exclusive(FileAccess.Write));
    }

    /// <summary>
    /// Creates <paramref name="path"/> empty and owner-only unless something is there (a file, or a link the caller
    /// refuses): so that SQLite, which gives its -wal and -shm the database's mode, creates those owner-only too.
    /// </summary>
    public static void CreateIfMissing(string path)
    {
        if (Path.Exists(path) || LinkTarget(path) is not null)
        {
            return;
        }

        try
        {
            using var created = new FileStream(path, Exclusive(FileAccess.Write));
        }
        catch (IOException) when (Path.Exists(path) || LinkTarget(path) is not null)
        {
            // Created by another meanwhile: the caller's own checks decide what it is.
        }
    }

    /// <summary>
    /// A warning when others than its owner may write in <paramref name="folder"/> (its group or everyone): they could
    /// put files and links where the probe keeps its data. Null when they cannot, or when it does not exist yet.
    /// </summary>
    public static string? FolderWarning(string folder)
    {
        if (OperatingSystem.IsWindows() || !Directory.Exists(folder))
        {
            return null;
        }

        var mode = File.GetUnixFileMode(folder);
        if ((mode & (UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)) == 0)
        {
            return null;
        }

        var octal = Convert.ToString((int)mode & 0xFFF, 8).PadLeft(4, '0');
        return string.Create(CultureInfo.InvariantCulture, $"others than its owner may write in the folder {folder} (mode {octal}): they could put files or links where the probe keeps its data; make it owner-only (chmod 700)");
    }

    private static FileStreamOptions Exclusive(FileAccess access)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = access, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnlyFile;
        }

        return options;
    }
}
