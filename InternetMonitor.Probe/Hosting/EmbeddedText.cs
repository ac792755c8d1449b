using System.Reflection;

namespace InternetMonitor.Probe.Hosting;

/// <summary>A text file embedded in the probe (its OpenAPI document, its status page and the page's library).</summary>
public static class EmbeddedText
{
    public static string Read(string logicalName)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(logicalName)
            ?? throw new InvalidOperationException($"{logicalName} is not embedded in the probe (InternetMonitor.Probe.csproj embeds it)");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
