using System.Runtime.InteropServices;
using InternetMonitor.Benchmarks.Report;
using InternetMonitor.Benchmarks.Scenarios;
using InternetMonitor.Lab;

// `make bench`: runs each scenario in its own lab, prints its table as it finishes, then the whole report,
// and writes it to docs/benchmarks.md. Ctrl-C or SIGTERM stops the run and the lab is still torn down.
IScenario[] scenarios = [new RttScenario(), new LossScenario(), new JitterScenario(), new OutageScenario(), new CostScenario(), new HttpTimingScenario(), new DnsTimingScenario(),
    new SpeedAccuracyScenario(), new LoopbackCapacityScenario(), new BufferbloatScenario(), new WritesScenario(), new LogVolumeScenario()];

var output = Argument("--output") ?? "docs/benchmarks.md";
var only = Argument("--only")?.Split(',') ?? [.. scenarios.Select(scenario => scenario.Name)];
var unknown = only.Except(scenarios.Select(scenario => scenario.Name)).ToList();
if (unknown.Count > 0)
{
    Console.Error.WriteLine($"Unknown scenario(s): {string.Join(", ", unknown)} (known: {string.Join(", ", scenarios.Select(scenario => scenario.Name))})");
    return 2;
}

var missing = new[] { "ip", "tc", "iptables", "fping", "curl", "dig", "nginx", "dnsmasq", "prometheus-blackbox-exporter" }.Where(program => Command.Find(program) is null).ToList();
if (Environment.UserName != "root" || missing.Count > 0)
{
    Console.Error.WriteLine($"make bench needs root and these programs: {(missing.Count == 0 ? "(all present)" : string.Join(", ", missing))}. `make test` (or scripts/install-test-deps.sh) installs them.");
    return 2;
}

using var stop = new CancellationTokenSource();
using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

foreach (var swept in await NetworkNamespace.SweepAbandonedAsync())
{
    Console.WriteLine($"Removed namespace {swept}, left by a run that was killed.");
}

var native = Argument("--native") is { } path ? Path.GetFullPath(path) : null;
if (native is not null && !File.Exists(native))
{
    Console.Error.WriteLine($"--native {native}: no such file (make publish builds it)");
    return 2;
}

var context = new BenchContext(Path.Combine(AppContext.BaseDirectory, "InternetMonitor.Probe.dll"), native);
var sections = new List<ReportSection>();
try
{
    foreach (var scenario in scenarios.Where(scenario => only.Contains(scenario.Name)))
    {
        Console.WriteLine($"Running {scenario.Name}...");
        var section = await scenario.RunAsync(context, stop.Token);
        Console.WriteLine(BenchmarkReport.Render(section));
        sections.Add(section);
    }
}
catch (OperationCanceledException) when (stop.IsCancellationRequested)
{
    Console.Error.WriteLine("Interrupted: the lab has been torn down; nothing was written.");
    return 130;
}

var machine = await MachineInfo.ReadAsync(Environment.CurrentDirectory);
var report = new BenchmarkReport(machine, sections).ToMarkdown();
Console.WriteLine(report);
Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
await File.WriteAllTextAsync(output, report);
Console.WriteLine($"Written to {output}.");
return 0;

void Stop(PosixSignalContext signal)
{
    signal.Cancel = true; // let the run unwind and tear its lab down
    stop.Cancel();
}

string? Argument(string name)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
}
