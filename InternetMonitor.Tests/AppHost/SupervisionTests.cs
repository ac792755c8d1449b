using System.Globalization;
using System.Text.RegularExpressions;
using InternetMonitor.AppHost.Hosting;
using InternetMonitor.AppHost.Model;
using Microsoft.Extensions.Time.Testing;

namespace InternetMonitor.Tests.AppHost;

/// <summary>
/// Supervision on a fake clock: a real part that keeps exiting is started again after 1 s, then twice as long each time
/// up to 30 s, and after 1 s again once a run has lasted a minute.
/// </summary>
public sealed partial class SupervisionTests
{
    [Fact]
    public async Task A_part_that_keeps_exiting_is_restarted_with_a_doubling_back_off_that_resets_after_a_minute_of_running()
    {
        var folder = Directory.CreateTempSubdirectory("im-supervision-").FullName;
        var release = Path.Combine(folder, "release");
        var part = new Resource("flaky", ResourceKind.Executable);
        part.Programs.Add("sh");

        // Exits at once, except for the run started while the test asks for a long one: that one waits for a file.
        var longRun = Path.Combine(folder, "long-run");
        part.Arguments.Add(_ => ["-c", $"if [ -e {longRun} ]; then rm {longRun}; while [ ! -e {release} ]; do sleep 0.02; done; fi; exit 3"]);
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var launcher = new ProcessLauncher();
        using var output = new StringWriter();
        var orchestrator = new ProcessOrchestrator(new StackModel([part]), folder, "127.0.0.1", launcher, TextWriter.Synchronized(output), time);
        var running = orchestrator.Resources.Single();
        using var stop = new CancellationTokenSource();
        var run = orchestrator.RunAsync(stop.Token);
        try
        {
            var waits = new List<int>();
            for (var restart = 1; restart <= 7; restart++)
            {
                waits.Add(await NextBackOffAsync(running, restart));
                if (restart == 7)
                {
                    // The next run lasts a minute on the clock before it exits.
                    await File.WriteAllTextAsync(longRun, string.Empty, TestContext.Current.CancellationToken);
                }

                time.Advance(TimeSpan.FromSeconds(waits[^1]));
            }

            await WaitUntilAsync(() => !File.Exists(longRun), "the long run to start");
            time.Advance(TimeSpan.FromSeconds(61));
            await File.WriteAllTextAsync(release, string.Empty, TestContext.Current.CancellationToken);
            waits.Add(await NextBackOffAsync(running, 8));

            Assert.Equal([1, 2, 4, 8, 16, 30, 30, 1], waits);
            Assert.Equal(8, running.Snapshot.Restarts);
            Assert.Contains("flaky | exited (code 3); restarting in 1 s", output.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            await stop.CancelAsync();
            await run;
            Directory.Delete(folder, recursive: true);
        }

        Assert.Equal(ResourceState.Stopped, running.Snapshot.State);
    }

    [Fact]
    public async Task A_part_waits_for_what_it_depends_on_and_starts_anyway_after_two_minutes_saying_so()
    {
        var folder = Directory.CreateTempSubdirectory("im-supervision-").FullName;
        var never = new Resource("never-ready", ResourceKind.Executable);
        never.Programs.Add("sleep");
        never.Arguments.Add(_ => ["600"]);
        never.Endpoints.Add(new Endpoint("http", Support.LoopbackPort.FreeTcp())); // nothing answers there
        never.HealthPath = "/ready";
        var dependent = new Resource("dependent", ResourceKind.Executable);
        dependent.Programs.Add("sleep");
        dependent.Arguments.Add(_ => ["600"]);
        dependent.WaitsFor.Add(never);
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var launcher = new ProcessLauncher();
        using var output = new StringWriter();
        var orchestrator = new ProcessOrchestrator(new StackModel([never, dependent]), folder, "127.0.0.1", launcher, TextWriter.Synchronized(output), time);
        var waiting = orchestrator.Resources.Single(running => running.Resource == dependent);
        using var stop = new CancellationTokenSource();
        var run = orchestrator.RunAsync(stop.Token);
        try
        {
            await WaitUntilAsync(() => orchestrator.Resources[0].Snapshot.State == ResourceState.Starting, "the first part to start");
            time.Advance(TimeSpan.FromSeconds(119));
            await Task.Delay(200, TestContext.Current.CancellationToken); // a wrong start would have time to show
            Assert.Equal(ResourceState.Waiting, waiting.Snapshot.State);

            time.Advance(TimeSpan.FromSeconds(2));
            await WaitUntilAsync(() => waiting.Snapshot.State == ResourceState.Running, "the dependent part to start");

            Assert.Contains("dependent   | never-ready is not healthy after 120 s; starting anyway", output.ToString(), StringComparison.Ordinal);
            Assert.Equal(ResourceState.Starting, orchestrator.Resources[0].Snapshot.State);
        }
        finally
        {
            await stop.CancelAsync();
            await run;
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>The back-off, in seconds, that the part announces before its <paramref name="restart"/>-th restart.</summary>
    private static async Task<int> NextBackOffAsync(RunningResource running, int restart)
    {
        await WaitUntilAsync(() => running.Snapshot.Restarts == restart && running.RecentLines().Count(line => Restarting().IsMatch(line)) == restart, $"restart {restart}");
        var line = running.RecentLines().Last(line => Restarting().IsMatch(line));
        return int.Parse(Restarting().Match(line).Groups["seconds"].Value, CultureInfo.InvariantCulture);
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < until, $"waited in vain for {what}");
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }
    }

    [GeneratedRegex(@"restarting in (?<seconds>\d+) s$")]
    private static partial Regex Restarting();
}
