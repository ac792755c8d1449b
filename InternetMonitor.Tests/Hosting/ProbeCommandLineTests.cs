using InternetMonitor.Probe.Hosting;
using InternetMonitor.Tests.Support;

namespace InternetMonitor.Tests.Hosting;

/// <summary>The probe's command line: help for each command, one line per bad argument, settings handed to the configuration.</summary>
[Trait(Layer.Key, Layer.Unit)]
public sealed class ProbeCommandLineTests
{
    [Theory]
    [InlineData(new[] { "--help" }, new[] { "--urls <URL>", "speedtest", "check-config", "--Section:Key=value", "Exit codes: 0 stopped, 2 bad arguments or settings, 3 cannot start" })]
    [InlineData(new[] { "help", "check-config" }, new[] { "check-config", "--Section:Key=value", "Exit codes: 0 valid, 2 not" })]
    [InlineData(new[] { "speedtest", "-?" }, new[] { "--server <URL>", "--json", "--Monitor:SpeedTest:Key=value" })]
    public async Task Help_of_each_command_lists_its_options_and_exits_0(string[] arguments, string[] expected)
    {
        var (code, output, error) = await RunAsync(arguments);

        Assert.Equal(0, code);
        Assert.Empty(error);
        foreach (var text in expected)
        {
            Assert.Contains(text, output, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(new[] { "--fast" }, "InternetMonitor.Probe: unknown argument --fast: settings are written --Section:Key=value (see --help)")]
    [InlineData(new[] { "check-config", "-x" }, "check-config: unknown argument -x: settings are written --Section:Key=value (see --help)")]
    [InlineData(new[] { "--urls" }, "InternetMonitor.Probe: Required argument missing for option: '--urls' (see --help)")]
    public async Task An_unknown_or_incomplete_option_exits_2_with_one_line_naming_it(string[] arguments, string expected)
    {
        var (code, output, error) = await RunAsync(arguments);

        Assert.Equal(2, code);
        Assert.Empty(output);
        Assert.Equal(expected, error.TrimEnd('\n'));
    }

    [Theory]
    [InlineData("--Monitor:Icmp:Interval=0")]
    [InlineData("--Monitor:Icmp:Interval", "0")]
    public async Task A_setting_in_either_form_reaches_the_configuration(params string[] setting)
    {
        var (valid, validOutput, validError) = await RunAsync(["check-config", .. ProbeHost.LoopbackArguments()]);
        var (code, _, error) = await RunAsync(["check-config", .. ProbeHost.LoopbackArguments(), .. setting]);

        Assert.True(valid == 0, validError);
        Assert.Equal("The configuration is valid", validOutput.Trim());
        Assert.Equal(ProbeProgram.ConfigurationErrorExitCode, code);
        Assert.Equal("Invalid configuration: Monitor:Icmp:Interval must be between 00:00:00.01 and 00:10:00 (got 00:00:00)", error.Trim());
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(string[] arguments)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await ProbeCommandLine.RunAsync(arguments, output, error).WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        return (code, output.ToString(), error.ToString());
    }
}
