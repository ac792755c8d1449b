namespace InternetMonitor.Benchmarks.Report;

/// <summary>One scenario's result: a table, notes that say how to read it, and the targets it checks.</summary>
public sealed class ReportSection(string title, params string[] columns)
{
    private readonly List<string[]> _rows = [];
    private readonly List<string> _notes = [];
    private readonly List<TargetCheck> _targets = [];

    public string Title { get; } = title;

    public IReadOnlyList<string> Columns { get; } = columns;

    public IReadOnlyList<string[]> Rows => _rows;

    public IReadOnlyList<string> Notes => _notes;

    public IReadOnlyList<TargetCheck> Targets => _targets;

    public void Row(params string[] cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        if (cells.Length != Columns.Count)
        {
            throw new ArgumentException($"{cells.Length} cells for {Columns.Count} columns", nameof(cells));
        }

        _rows.Add(cells);
    }

    public void Note(string note) => _notes.Add(note);

    /// <summary>Records a target of the issue: met or missed, with the figures that decide it.</summary>
    public bool Target(string name, bool met, string figures)
    {
        _targets.Add(new TargetCheck(name, met, figures));
        return met;
    }
}

public sealed record TargetCheck(string Name, bool Met, string Figures);
