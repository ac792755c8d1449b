namespace InternetMonitor.Probe.Scheduling;

/// <summary>How one run of a job ended: it succeeded, failed, or did not measure at all (skipped, with a reason).</summary>
public readonly record struct JobOutcome
{
    private JobOutcome(bool succeeded, string? skipReason)
    {
        Succeeded = succeeded;
        SkipReason = skipReason;
    }

    public static JobOutcome Success { get; } = new(true, null);

    public static JobOutcome Failure { get; } = new(false, null);

    /// <summary>Every measurement of the run succeeded.</summary>
    public bool Succeeded { get; }

    /// <summary>Why the run measured nothing (a low-cardinality label value), or null when it ran.</summary>
    public string? SkipReason { get; }

    public static JobOutcome From(bool succeeded) => succeeded ? Success : Failure;

    public static JobOutcome Skipped(string reason) => new(false, reason);
}
