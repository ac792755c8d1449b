using System.Text;

namespace InternetMonitor.Benchmarks.Report;

/// <summary>The whole run: when, on what, at which commit, and each section; rendered as Markdown.</summary>
public sealed class BenchmarkReport(MachineInfo machine, IReadOnlyList<ReportSection> sections)
{
    public string ToMarkdown()
    {
        var text = new StringBuilder();
        text.AppendLine("# Benchmarks");
        text.AppendLine();
        text.AppendLine("Written by `make bench` (InternetMonitor.Benchmarks) from one run in the network lab (InternetMonitor.Lab).");
        text.AppendLine("Every figure below was measured in that run; rerun `make bench` to replace them.");
        text.AppendLine();
        text.AppendLine($"- Date: {machine.Date:yyyy-MM-dd HH:mm} UTC");
        text.AppendLine($"- Commit: {machine.Commit}");
        text.AppendLine($"- Machine: {machine.Cores} cores ({machine.CpuModel}), kernel {machine.Kernel}, .NET {machine.Runtime}");
        text.AppendLine($"- Peers: {machine.Peers}");
        text.AppendLine();
        foreach (var section in sections)
        {
            Section(text, section);
        }

        text.AppendLine("## Targets");
        text.AppendLine();
        text.AppendLine("| Target | Result | Figures |");
        text.AppendLine("|---|---|---|");
        foreach (var target in sections.SelectMany(section => section.Targets))
        {
            text.AppendLine($"| {target.Name} | {(target.Met ? "met" : "**MISSED**")} | {target.Figures} |");
        }

        return text.ToString();
    }

    public static string Render(ReportSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        var text = new StringBuilder();
        Section(text, section);
        return text.ToString();
    }

    private static void Section(StringBuilder text, ReportSection section)
    {
        text.AppendLine($"## {section.Title}");
        text.AppendLine();
        text.AppendLine($"| {string.Join(" | ", section.Columns)} |");
        text.AppendLine($"|{string.Concat(section.Columns.Select(_ => "---|"))}");
        foreach (var row in section.Rows)
        {
            text.AppendLine($"| {string.Join(" | ", row)} |");
        }

        text.AppendLine();
        foreach (var note in section.Notes)
        {
            text.AppendLine($"- {note}");
        }

        foreach (var target in section.Targets)
        {
            text.AppendLine($"- Target {(target.Met ? "met" : "MISSED")}: {target.Name} ({target.Figures})");
        }

        text.AppendLine();
    }
}
