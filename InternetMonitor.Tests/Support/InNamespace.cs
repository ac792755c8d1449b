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

    public static bool Inside => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 };

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
            var variables = new Dictionary<string, string>(environment ?? new Dictionary<string, string>())
            {
                [Variable] = network.Name,
                ["HOME"] = home,
                // NuGet's folder stays the real one: the probe's build and Aspire's packages are not fetched again.
                ["NUGET_PACKAGES"] = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
                    ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages"),
            };
            var runner = Path.Combine(AppContext.BaseDirectory, "InternetMonitor.Tests");
            var clock = Stopwatch.StartNew();
            await using var run = LabProcess.Start(network, [runner, "-method", $"{type.FullName}.{method}", "-noColor"], variables);
            var code = await run.WaitForExitAsync(timeout ?? TimeSpan.FromMinutes(10), TestContext.Current.CancellationToken);
            TestContext.Current.TestOutputHelper?.WriteLine($"inner run, {clock.Elapsed.TotalSeconds:0.0} s:\n{run.Log}");
            Assert.True(code == 0, $"the test failed inside the namespace (exit {code}):\n{run.Log}");
            Assert.Contains("Total: 1, Errors: 0, Failed: 0, Skipped: 0", run.Output, StringComparison.Ordinal);

            var until = DateTime.UtcNow + TimeSpan.FromMinutes(1);
            while ((await network.ProcessIdsAsync()).Count > 0)
            {
                Assert.True(DateTime.UtcNow < until, $"left running in the namespace: {string.Join(", ", await network.ProcessIdsAsync())}");
                await Task.Delay(200, TestContext.Current.CancellationToken);
            }
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }
}
