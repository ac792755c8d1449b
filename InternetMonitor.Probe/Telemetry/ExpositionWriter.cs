using System.Globalization;
using System.Text;
using Prometheus;

namespace InternetMonitor.Probe.Telemetry;

/// <summary>
/// Writes metric families in the Prometheus text format (0.0.4) or OpenMetrics 1.0, which agree on everything a
/// summary needs but the escaping of help. Hand-written because prometheus-net 8 keeps its serializer internal.
/// A family calls <see cref="DrainAsync"/> between series, so that what it wrote so far can go out in chunks.
/// </summary>
public sealed class ExpositionWriter(TextWriter text, ExpositionFormat format, Func<bool, CancellationToken, ValueTask>? drain = null)
{
    public ExpositionFormat Format { get; } = format;

    /// <summary>Sends on what was written, when it is a chunk's worth (or, with <paramref name="all"/>, whatever it is).</summary>
    public ValueTask DrainAsync(CancellationToken cancellationToken, bool all = false) =>
        drain?.Invoke(all, cancellationToken) ?? ValueTask.CompletedTask;

    /// <summary>The <c># HELP</c> and <c># TYPE</c> lines that open a family.</summary>
    public void Family(string name, string type, string help)
    {
        text.Write("# HELP ");
        text.Write(name);
        text.Write(' ');
        text.Write(EscapeHelp(help, Format));
        text.Write("\n# TYPE ");
        text.Write(name);
        text.Write(' ');
        text.Write(type);
        text.Write('\n');
    }

    /// <summary>One sample line: <c>name{labels} value</c>.</summary>
    public void Sample(string name, ReadOnlySpan<(string Name, string Value)> labels, double value)
    {
        text.Write(name);
        if (labels.Length > 0)
        {
            text.Write('{');
            for (var i = 0; i < labels.Length; i++)
            {
                text.Write(i == 0 ? "" : ",");
                text.Write(labels[i].Name);
                text.Write("=\"");
                text.Write(EscapeLabelValue(labels[i].Value));
                text.Write('"');
            }

            text.Write('}');
        }

        text.Write(' ');
        text.Write(Number(value));
        text.Write('\n');
    }

    /// <summary>A value as both formats spell it: shortest round-trip form, NaN, +Inf, -Inf.</summary>
    public static string Number(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        _ when double.IsNaN(value) => "NaN",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    /// <summary>Backslash, double quote and line feed escaped, as both formats require in a label value.</summary>
    public static string EscapeLabelValue(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.AsSpan().IndexOfAny('\\', '"', '\n') < 0)
        {
            return value;
        }

        var escaped = new StringBuilder(value.Length + 8);
        foreach (var character in value)
        {
            escaped.Append(character switch
            {
                '\\' => @"\\",
                '"' => "\\\"",
                '\n' => @"\n",
                _ => character.ToString(),
            });
        }

        return escaped.ToString();
    }

    /// <summary>Backslash and line feed escaped; OpenMetrics escapes the double quote too.</summary>
    public static string EscapeHelp(string help, ExpositionFormat format)
    {
        ArgumentNullException.ThrowIfNull(help);
        var escaped = help.Replace(@"\", @"\\", StringComparison.Ordinal).Replace("\n", @"\n", StringComparison.Ordinal);
        return format == ExpositionFormat.OpenMetricsText ? escaped.Replace("\"", "\\\"", StringComparison.Ordinal) : escaped;
    }
}
