using System.Text.Json;

namespace InternetMonitor.Probe.Probing.SpeedTest.Budget;

/// <summary>
/// Keeps the budget's counts in a small JSON file, replaced atomically (written beside, then renamed), so that a
/// restart or a crash mid-write never forgets what was spent. A file that cannot be read is set aside, not lost.
/// </summary>
public sealed partial class DataBudgetStore(string path, ILogger<DataBudgetStore> logger)
{
    public string Path { get; } = System.IO.Path.GetFullPath(path);

    public DataBudgetState? Load()
    {
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
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
            File.WriteAllText(temporary, JsonSerializer.Serialize(state, DataBudgetJsonContext.Default.DataBudgetState));
            File.Move(temporary, Path, overwrite: true);
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

    [LoggerMessage(Level = LogLevel.Error, Message = "The speed-test budget file {Path} could not be written; the counts are kept in memory until it can")]
    private static partial void LogUnwritable(ILogger logger, Exception exception, string path);
}
