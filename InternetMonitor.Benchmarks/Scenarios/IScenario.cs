using InternetMonitor.Benchmarks.Report;

namespace InternetMonitor.Benchmarks.Scenarios;

/// <summary>One measurement of the benchmark: builds its own lab, runs, tears the lab down, reports.</summary>
public interface IScenario
{
    /// <summary>The name given to `--only`.</summary>
    string Name { get; }

    Task<ReportSection> RunAsync(BenchContext context, CancellationToken cancellationToken);
}
