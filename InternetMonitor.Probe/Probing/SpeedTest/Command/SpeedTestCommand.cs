using System.CommandLine.Help;
using System.Text.Json;
using InternetMonitor.CommandLine;
using InternetMonitor.Probe.Configuration;
using InternetMonitor.Probe.Hosting;

namespace InternetMonitor.Probe.Probing.SpeedTest.Command;

/// <summary>
/// <c>InternetMonitor.Probe speedtest ...</c>: one run with the scheduled job's engine and settings (appsettings.json,
/// environment, then the command line), live progress on a terminal, a summary or one JSON document at the end.
/// It does not touch the data budget of the scheduled job: it runs only when a person asks.
/// </summary>
public static class SpeedTestCommand
{
    public const string Name = "speedtest";
    public const int FailedExitCode = 1;
    public const int UsageExitCode = CommandLineRun.UsageExitCode;

    /// <summary>The arguments after <c>speedtest</c> parsed and run, as the probe's command line runs them.</summary>
    public static Task<int> RunAsync(IReadOnlyList<string> arguments, TextWriter output, TextWriter error, Terminals terminals, CancellationToken cancellationToken)
    {
        var command = Create(terminals);
        command.Add(new HelpOption()); // the probe's is on its root command
        return CommandLineRun.InvokeAsync(command, arguments, output, error, ProbeCommandLine.Line, cancellationToken);
    }

    /// <summary>The command; <paramref name="terminals"/> says where live progress may be drawn.</summary>
    internal static SettingsCommand Create(Terminals terminals)
    {
        var line = new SpeedTestCommandLine();
        line.Command.Add(Campaigns.CampaignCommand.Create());
        line.Command.SetAction((result, _, cancellationToken) =>
        {
            var (settings, json) = line.Read(result);
            return RunAsync(settings, json, result.InvocationConfiguration.Output, result.InvocationConfiguration.Error, terminals, cancellationToken);
        });
        return line.Command;
    }

    private static async Task<int> RunAsync(IReadOnlyDictionary<string, string?> settings, bool json, TextWriter output, TextWriter error, Terminals terminals, CancellationToken cancellationToken)
    {
        if (Options(settings, out var problem) is not { } options)
        {
            await error.WriteLineAsync($"Invalid configuration: {problem}").ConfigureAwait(false);
            return UsageExitCode;
        }

        // Live progress only where a person watches: stdout for the summary, stderr beside the JSON document.
        var progress = (json ? terminals.Error : terminals.Output) ? new TerminalProgress(json ? error : output) : null;
        SpeedTestResult result;

        // Ctrl+C ends the run with a line, not the process without one.
        using var interrupt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        ConsoleCancelEventHandler cancel = (_, e) =>
        {
            e.Cancel = true;
            interrupt.Cancel();
        };
        Console.CancelKeyPress += cancel;
        try
        {
            result = await new SpeedTestEngine(TimeProvider.System).ProbeAsync(new SpeedTestPlan(options.CreateServer(), options.Limits(), progress), interrupt.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (interrupt.IsCancellationRequested)
        {
            progress?.Clear();
            await error.WriteLineAsync("speedtest: cancelled").ConfigureAwait(false);
            return FailedExitCode;
        }
        finally
        {
            Console.CancelKeyPress -= cancel;
        }

        progress?.Clear();
        if (json)
        {
            await output.WriteLineAsync(JsonSerializer.Serialize(SpeedTestReport.From(result, options.Server), SpeedTestReportJsonContext.Default.SpeedTestReport)).ConfigureAwait(false);
        }
        else
        {
            SpeedTestSummary.Write(output, result, options.Server);
        }

        if (!result.Succeeded)
        {
            await error.WriteLineAsync($"Speed test failed in the {result.FailedIn?.Label()} phase ({result.Reason}): {result.Detail}").ConfigureAwait(false);
            return FailedExitCode;
        }

        return 0;
    }

    /// <summary>Which of the command's writers is a terminal.</summary>
    public readonly record struct Terminals(bool Output, bool Error);

    /// <summary>Monitor:SpeedTest from appsettings.json, the environment and the command line, validated as the service validates it.</summary>
    private static SpeedTestOptions? Options(IReadOnlyDictionary<string, string?> settings, out string? problem)
    {
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
            .AddEnvironmentVariables()
            .AddInMemoryCollection(settings)
            .Build();
        var options = new SpeedTestOptions();
        try
        {
            OptionsRegistration.Section(configuration, SpeedTestOptions.Section).Bind(options);
        }
        catch (InvalidOperationException exception) when (ConfigurationErrorMessage.From(exception) is { } message)
        {
            problem = message;
            return null;
        }

        var validation = new SpeedTestOptionsValidator().Validate(null, options);
        problem = validation.Failed ? string.Join("; ", validation.Failures) : null;
        return validation.Failed ? null : options;
    }
}
