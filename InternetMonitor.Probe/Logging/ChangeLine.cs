using System.Globalization;

namespace InternetMonitor.Probe.Logging;

/// <summary>
/// A line the log writes about one check, or <see cref="ChangeKind.None"/>. For <see cref="ChangeKind.Failing"/>,
/// <see cref="ChangeKind.StillFailing"/> and <see cref="ChangeKind.Recovered"/> the figures are the failure's: its
/// start, its length so far on the monotonic clock, its failed attempts. For <see cref="ChangeKind.Flapped"/> they are
/// the failures since the last line: how many, their attempts, the first one's start and the last one's reason.
/// </summary>
/// <param name="Kind"></param>
/// <param name="Reason">The latest failed attempt's reason.</param>
/// <param name="PreviousReason">The reason the last line named, when the failure goes on with another one.</param>
/// <param name="Since">The wall-clock start of the failure (or, for Flapped, of the first failure folded).</param>
/// <param name="For">How long the failure has lasted (or, for Flapped, the time since the last line).</param>
/// <param name="Attempts">Failed attempts in the failure (or, for Flapped, in the failures folded).</param>
/// <param name="Folded">Failures since the last line that ended without a line of their own.</param>
public readonly record struct ChangeLine(ChangeKind Kind, string? Reason, string? PreviousReason, DateTimeOffset Since, TimeSpan For, int Attempts, int Folded)
{
    public static ChangeLine None { get; } = default;

    /// <summary>What the line adds to its message about the reason and the failures folded: empty, or "; ..." clauses.</summary>
    public string Notes()
    {
        var notes = PreviousReason is { } previous && Kind == ChangeKind.StillFailing ? $"; the reason was {previous} before" : "";
        return Folded > 0 && Kind == ChangeKind.Failing
            ? string.Create(CultureInfo.InvariantCulture, $"{notes}; it failed and recovered {Folded} time(s) since the last line")
            : notes;
    }

    /// <summary>A length for people: 850 ms, 4.2 s, 42 s, 15 min, 15 min 2 s, 3 h 20 min, 2 d 5 h.</summary>
    public static string Describe(TimeSpan span) => span switch
    {
        { TotalSeconds: < 1 } => string.Create(CultureInfo.InvariantCulture, $"{span.TotalMilliseconds:0} ms"),
        { TotalSeconds: < 10 } => string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:0.0} s"),
        { TotalMinutes: < 1 } => string.Create(CultureInfo.InvariantCulture, $"{span.Seconds} s"),
        { TotalHours: < 1 } => Two(span.Minutes, "min", span.Seconds, "s"),
        { TotalDays: < 1 } => Two(span.Hours, "h", span.Minutes, "min"),
        _ => Two((int)span.TotalDays, "d", span.Hours, "h"),
    };

    private static string Two(int whole, string unit, int part, string partUnit) => part == 0
        ? string.Create(CultureInfo.InvariantCulture, $"{whole} {unit}")
        : string.Create(CultureInfo.InvariantCulture, $"{whole} {unit} {part} {partUnit}");
}
