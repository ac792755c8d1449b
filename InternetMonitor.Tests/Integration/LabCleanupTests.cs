using System.Diagnostics;
using System.Globalization;
using InternetMonitor.Lab;
using InternetMonitor.Tests.Support;

namespace InternetMonitor.Tests.Integration;

/// <summary>The lab leaves nothing behind: not when disposed, and not after a run that was killed.</summary>
[Trait(Layer.Key, Layer.Integration)]
public sealed class LabCleanupTests
{
    [Fact]
    public async Task Disposing_the_lab_stops_what_runs_inside_and_deletes_both_namespaces()
    {
        var lab = await LabFixture.NetworkAsync();
        var sleeper = LabProcess.Start(lab.Far, ["sleep", "600"]);
        await Poll.UntilAsync(async () => (await lab.Far.ProcessIdsAsync()).Count > 0, "the process entering the namespace", TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(20));

        var names = new[] { lab.Near.Name, lab.Far.Name };

        await lab.DisposeAsync();

        var (_, list, _) = await Command.TryRunAsync("ip", "netns", "list");
        Assert.All(names, name => Assert.DoesNotContain(name, list, StringComparison.Ordinal));
        await sleeper.WaitForExitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.True(sleeper.HasExited);
    }

    [Fact]
    public async Task A_namespace_left_by_a_killed_run_is_swept_with_its_processes()
    {
        Prerequisite.RequireRoot();
        Prerequisite.RequireProgram("ip", "iproute2");
        using var gone = Process.Start("true")!;
        await gone.WaitForExitAsync(TestContext.Current.CancellationToken);
        var abandoned = $"imlab-{gone.Id.ToString(CultureInfo.InvariantCulture)}-abcdef";
        await Command.RunAsync("ip", "netns", "add", abandoned);
        var sleeper = Process.Start("ip", ["netns", "exec", abandoned, "sleep", "600"]);
        await Poll.UntilAsync(
            async () => !string.IsNullOrWhiteSpace((await Command.TryRunAsync("ip", "netns", "pids", abandoned)).Output),
            "the process entering the namespace",
            TimeSpan.FromSeconds(10),
            TimeSpan.FromMilliseconds(20));

        var swept = await NetworkNamespace.SweepAbandonedAsync();

        Assert.Contains(abandoned, swept);
        var (_, list, _) = await Command.TryRunAsync("ip", "netns", "list");
        Assert.DoesNotContain(abandoned, list, StringComparison.Ordinal);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await sleeper.WaitForExitAsync(deadline.Token);
        Assert.True(sleeper.HasExited);
    }
}
