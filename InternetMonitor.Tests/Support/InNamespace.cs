using System.Diagnostics;
using InternetMonitor.Lab;

namespace InternetMonitor.Tests.Support;

/// <summary>
/// Runs a test again, alone, in a process of its own inside a network namespace that holds only loopback: for tests
/// whose code must itself run there (Aspire.Hosting.Testing runs the AppHost inside the test's process, and the AppHost
/// health-checks and calls the stack on loopback), so that the probe's default targets reach nothing and the stack's
/// default ports are free. The outer test makes the namespace, passes when the inner run passed, and checks that
/// nothing is left running in the namespace afterwards.
/// </summary>
public static class InNamespace
{
    /// <summary>Set in the inner run: the namespace it runs in.</summary>
    public const string Variable = "INTERNET_MONITOR_TEST_NETNS";

    /// <summary>What the inner run says on its standard output for the outer one to report (its figures).</summary>
    public const string FigurePrefix = "figure: ";

    /// <summary>Says <paramref name="text"/> in the outer run's output (the inner run's own is only read when it fails).</summary>
    public static void Report(string text) => Console.WriteLine(FigurePrefix + text);

    public static bool Inside => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 };

    /// <summary>Waits until no process runs in <paramref name="network"/>; fails naming those left after <paramref name="timeout"/>.</summary>
    public static async Task WaitUntilEmptyAsync(NetworkNamespace network, TimeSpan timeout, string when)
    {
        ArgumentNullException.ThrowIfNull(network);
        await Poll.UntilAsync(
            network.ProcessIdsAsync,
            left => left.Count == 0,
            $"no process left running {when}",
            timeout,
            TimeSpan.FromMilliseconds(200),
            explain: async left =>
            {
                var programs = new List<string>();
                foreach (var pid in left)
                {
                    programs.Add(File.Exists($"/proc/{pid}/comm") ? $"{pid} {(await File.ReadAllTextAsync($"/proc/{pid}/comm")).Trim()}" : $"{pid}");
                }

                return $"left running: {string.Join(", ", programs)}";
            });
    }

    /// <summary>
    /// Runs <paramref name="type"/>'s <paramref name="method"/> in a new namespace with <paramref name="environment"/>
    /// and a HOME of its own (Aspire writes ~/.aspire, ~/.aspnet and DCP's cache there); fails with the inner run's
    /// output when it did not pass, or when a process of it outlives it by more than a minute.
    /// </summary>
    public static async Task RerunAsync(Type type, string method, IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(type);
        Prerequisite.RequireRoot();
        await using var network = await NetworkNamespace.CreateAsync();
        var home = Directory.CreateTempSubdirectory("im-home-").FullName;
        try
        {
            var variables = AspireHome.Environment(home);
            variables[Variable] = network.Name;
            foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            {
                variables[name] = value;
            }

            var runner = Path.Combine(AppContext.BaseDirectory, "InternetMonitor.Tests");
            var clock = Stopwatch.StartNew();
            await using var run = LabProcess.Start(network, [runner, "-method", $"{type.FullName}.{method}", "-noColor"], variables);
            var code = await run.WaitForExitAsync(timeout ?? TimeSpan.FromMinutes(10), TestContext.Current.CancellationToken);
            foreach (var figure in run.Output.Split('\n').Where(line => line.StartsWith(FigurePrefix, StringComparison.Ordinal)))
            {
                TestContext.Current.TestOutputHelper?.WriteLine(figure[FigurePrefix.Length..]);
            }

            TestContext.Current.TestOutputHelper?.WriteLine($"inner run: {clock.Elapsed.TotalSeconds:0.0} s");
            Assert.True(code == 0, $"the test failed inside the namespace (exit {code}):\n{run.Log}");
            Assert.Contains("Total: 1, Errors: 0, Failed: 0, Skipped: 0", run.Output, StringComparison.Ordinal);

            await WaitUntilEmptyAsync(network, TimeSpan.FromMinutes(1), "after the inner run");
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }
}
