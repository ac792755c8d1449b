using System.Text.Json;
using InternetMonitor.Probe.Storage;

namespace InternetMonitor.Probe.Probing.SpeedTest.Budget;

/// <summary>
/// Keeps the budget's counts in a small JSON file, replaced atomically (written beside, then renamed), so that a
/// restart or a crash mid-write never forgets what was spent. A file that cannot be read is set aside, not lost; one
/// that is a symbolic link is not read through (see <see cref="DataFiles"/>).
/// </summary>
public sealed partial class DataBudgetStore(string path, ILogger<DataBudgetStore> logger)
{
    public string Path { get; } = System.IO.Path.GetFullPath(path);

    public DataBudgetState? Load()
    {
        if (DataFiles.LinkTarget(Path) is { } target)
        {
            // Not read through: the next save replaces the link itself (a rename), never its target.
            LogLinked(logger, DataFiles.Refusal(Path, target));
            return null;
        }

        if (!File.Exists(Path))
        {
            return null;
        }

        try
        {
            var state = JsonSerializer.Deserialize(File.ReadAllText(Path), DataBudgetJsonContext.Default.DataBudgetState);
            if (state is not null && state.DayDownload >= 0 && state.DayUpload >= 0 && state.MonthDownload >= 0 && state.MonthUpload >= 0)
            {
                return state;
            }

            throw new JsonException("negative or missing counts");
        }
        catch (Exception exception) when (exception is JsonException or IOException or UnauthorizedAccessException)
        {
            var aside = Path + ".unreadable";
            try
            {
                File.Move(Path, aside, overwrite: true);
            }
            catch (Exception moveException) when (moveException is IOException or UnauthorizedAccessException)
            {
                aside = "(could not be moved aside)";
            }

            LogUnreadable(logger, exception, Path, aside);
            return null;
        }
    }

    /// <summary>Writes the state; false (and a log line) when the file cannot be written: the counts stay in memory.</summary>
    public bool Save(DataBudgetState state)
    {
        var temporary = Path + ".tmp";
        try
        {
            DataFiles.CreateFolder(System.IO.Path.GetDirectoryName(Path)!);
            using (var file = DataFiles.CreateNew(temporary)) // exclusive and owner-only: a link planted there is deleted, never written through
            {
                JsonSerializer.Serialize(file, state, DataBudgetJsonContext.Default.DataBudgetState);
            }

            File.Move(temporary, Path, overwrite: true); // a rename: a link at Path is replaced itself
            return true;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            LogUnwritable(logger, exception, Path);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The speed-test budget file {Path} could not be read; it was moved to {Aside} and counting starts from zero")]
    private static partial void LogUnreadable(ILogger logger, Exception exception, string path, string aside);

    [LoggerMessage(Level = LogLevel.Error, Message = "The speed-test budget file is refused: {Refusal}; counting starts from zero, and the next save replaces the link")]
    private static partial void LogLinked(ILogger logger, string refusal);

    [LoggerMessage(Level = LogLevel.Error, Message = "The speed-test budget file {Path} could not be written; the counts are kept in memory until it can")]
    private static partial void LogUnwritable(ILogger logger, Exception exception, string path);
}
