using InternetMonitor.Probe.Storage;
using Microsoft.Data.Sqlite;

namespace InternetMonitor.Probe.History;

/// <summary>
/// Why the history database refused a write, as the label of <c>internet_monitor_history_write_failures_total</c>
/// (busy, readonly, full, corrupt, io, newer_schema, slow, symlink, other), and what each reason means in a sentence.
/// </summary>
public static class HistoryFailure
{
    /// <summary>The metric's reason for an exception the history survives; null for one it does not expect (a bug: it propagates).</summary>
    public static string? Classify(Exception exception) => exception switch
    {
        HistoryException history => history.Reason,
        SqliteException sqlite => (sqlite.SqliteErrorCode & 0xFF) switch
        {
            5 or 6 => "busy",
            8 => "readonly",
            13 => "full",
            11 or 26 => "corrupt",
            10 or 14 => "io",
            _ => "other",
        },
        IOException or UnauthorizedAccessException => "io",
        _ => null,
    };

    /// <summary>
    /// SQLite says only "unable to open" or "disk I/O error" for a folder it cannot write: a file written beside the
    /// database at <paramref name="databasePath"/> tells a read-only file system or folder, and a full disk, from another fault.
    /// </summary>
    public static string Refine(string reason, string databasePath)
    {
        ArgumentNullException.ThrowIfNull(databasePath);
        if (reason is not ("io" or "other"))
        {
            return reason;
        }

        var probe = Path.Combine(Path.GetDirectoryName(databasePath) ?? ".", $".{Path.GetFileName(databasePath)}.probe");
        try
        {
            using (var file = DataFiles.CreateNew(probe)) // a leftover, or a link planted there, deleted first: never written through
            {
                file.Write(new byte[4096]);
            }

            File.Delete(probe);
            return reason;
        }
        catch (UnauthorizedAccessException)
        {
            return "readonly";
        }
        catch (IOException exception)
        {
            return exception.HResult switch
            {
                30 => "readonly", // EROFS
                28 => "full", // ENOSPC
                _ => reason,
            };
        }
    }

    /// <summary>What a failure's reason means, in a sentence that names no file (for answers anyone may read).</summary>
    public static string Describe(string reason) => reason switch
    {
        "busy" => "the database is locked by another program",
        "readonly" => "the database or its folder is read-only",
        "full" => "the disk is full",
        "corrupt" => "the file is not a usable SQLite database (left as it is: move it aside to start a new history)",
        "io" => "the file cannot be read or written",
        "slow" => "a write does not finish",
        "symlink" => "a file of the database is a symbolic link",
        _ => "the database failed",
    };
}
