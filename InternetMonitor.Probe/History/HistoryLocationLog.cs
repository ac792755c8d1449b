using InternetMonitor.Probe.Storage;
using Microsoft.Extensions.Options;

namespace InternetMonitor.Probe.History;

/// <summary>
/// Says once at start where the history is kept, and warns when others may write in its folder or the data folder (a
/// warning, not a refusal: the probe follows no link there, and shared folders it cannot judge exist).
/// </summary>
public sealed partial class HistoryLocationLog(IOptions<HistoryOptions> history, IOptions<DataFolderOptions> folder, ILogger<HistoryLocationLog> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var data = folder.Value.DataDirectory ?? string.Empty;
        if (!history.Value.Enabled)
        {
            LogOff(logger, data);
            return Task.CompletedTask;
        }

        var path = Path.GetFullPath(history.Value.Path);
        LogKept(logger, path, data);
        foreach (var warning in new[] { data, Path.GetDirectoryName(path) }.OfType<string>().Distinct(StringComparer.Ordinal).Select(DataFiles.FolderWarning).OfType<string>())
        {
            LogOpenFolder(logger, warning);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "History kept in {Path} (data folder {DataDirectory})")]
    private static partial void LogKept(ILogger logger, string path, string dataDirectory);

    [LoggerMessage(Level = LogLevel.Information, Message = "History is off (Monitor:History:Enabled=false); data folder {DataDirectory}")]
    private static partial void LogOff(ILogger logger, string dataDirectory);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Data folder: {Warning}")]
    private static partial void LogOpenFolder(ILogger logger, string warning);
}
