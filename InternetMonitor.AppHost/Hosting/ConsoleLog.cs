namespace InternetMonitor.AppHost.Hosting;

/// <summary>Every resource's output on one console, each line behind its resource's name, padded so that the lines align.</summary>
public sealed class ConsoleLog(TextWriter writer, int nameWidth)
{
    private readonly Lock _lock = new();

    public void Write(string resource, string line)
    {
        ArgumentNullException.ThrowIfNull(resource);
        lock (_lock)
        {
            writer.WriteLine($"{resource.PadRight(nameWidth)} | {line}");
            writer.Flush();
        }
    }

    /// <summary>Text of the AppHost's own (the table of URLs), never split by a resource's line.</summary>
    public void WriteBlock(string text)
    {
        lock (_lock)
        {
            writer.Write(text);
            writer.Flush();
        }
    }
}
