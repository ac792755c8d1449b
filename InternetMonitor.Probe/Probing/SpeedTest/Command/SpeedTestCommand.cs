using System.Text.Json;
using InternetMonitor.Probe.Configuration;

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
    public const int UsageExitCode = 2;

    public static async Task<int> RunAsync(IReadOnlyList<string> arguments, TextWriter output, TextWriter error, Terminals terminals, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        SpeedTestCommandLine line;
        try
        {
            line = SpeedTestCommandLine.Parse(arguments);
        }
        catch (ArgumentException exception)
        {
            await error.WriteLineAsync($"speedtest: {exception.Message} (see --help)").ConfigureAwait(false);
            return UsageExitCode;
        }

        if (line.Help)
        {
            await output.WriteAsync(SpeedTestCommandLine.Usage).ConfigureAwait(false);
            return 0;
        }

        if (Options(line, out var problem) is not { } options)
        {
            await error.WriteLineAsync($"Invalid configuration: {problem}").ConfigureAwait(false);
            return UsageExitCode;
        }

        // Live progress only where a person watches: stdout for the summary, stderr beside the JSON document.
        var progress = (line.Json ? terminals.Error : terminals.Output) ? new TerminalProgress(line.Json ? error : output) : null;
        SpeedTestResult result;
        try
        {
            result = await new SpeedTestEngine(TimeProvider.System).ProbeAsync(new SpeedTestPlan(options.CreateServer(), options.Limits(), progress), cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            progress?.Clear();
            await error.WriteLineAsync("speedtest: cancelled").ConfigureAwait(false);
            return FailedExitCode;
        }

        progress?.Clear();
        if (line.Json)
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
    private static SpeedTestOptions? Options(SpeedTestCommandLine line, out string? problem)
    {
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
            .AddEnvironmentVariables()
            .AddInMemoryCollection(line.Settings)
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
