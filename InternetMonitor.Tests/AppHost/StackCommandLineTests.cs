using InternetMonitor.AppHost.Stack;
using InternetMonitor.Tests.Support;

namespace InternetMonitor.Tests.AppHost;

/// <summary>The AppHost's command line: help for each command, one line per bad argument, settings and Aspire's switches passed on.</summary>
[Trait(Layer.Key, Layer.Unit)]
public sealed class StackCommandLineTests
{
    [Theory]
    [InlineData(new[] { "--help" }, new[] { "--mode <process|container>", "publish", "render", "--Section:Key=value", "Exit codes: 0" })]
    [InlineData(new[] { "publish", "--help" }, new[] { "--output <DIR>", "--runtime <RID>", "--role <site|central>", "--Section:Key=value", "Exit codes: 0" })]
    [InlineData(new[] { "render", "-h", "--Alerting:Bogus=1" }, new[] { "--output <DIR>", "--alertmanager-version <X.Y.Z>", "--alertmanager-config-dir <PATH>", "--Section:Key=value" })]
    public async Task Help_of_each_command_lists_its_options_and_exits_0_without_starting_anything(string[] arguments, string[] expected)
    {
        var (parsed, code, output, error) = await ParseAsync(arguments);

        Assert.Null(parsed);
        Assert.Equal(0, code);
        Assert.Empty(error);
        foreach (var text in expected)
        {
            Assert.Contains(text, output, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("additional arguments", output, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData(new[] { "--fast" }, "Invalid configuration: unknown argument --fast: settings are written --Section:Key=value")]
    [InlineData(new[] { "publish", "--output", "out", "--runtime" }, "Invalid configuration: Required argument missing for option: '--runtime'.")]
    [InlineData(new[] { "--Stack:ListenAddress" }, "Invalid configuration: unknown argument --Stack:ListenAddress: settings are written --Section:Key=value")]
    [InlineData(new[] { "publish", "--output", "out", "--role", "hub" }, "Invalid configuration: --role must be site or central (got \"hub\")")]
    public async Task An_unknown_or_incomplete_option_exits_2_with_one_line_naming_it(string[] arguments, string expected)
    {
        var (parsed, code, output, error) = await ParseAsync(arguments);

        Assert.Null(parsed);
        Assert.Equal(2, code);
        Assert.Empty(output);
        Assert.Equal(expected, error.TrimEnd('\n'));
    }

    [Theory]
    [InlineData(new[] { "publish", "--output", "out" }, StackRole.Site)]
    [InlineData(new[] { "publish", "--output", "out", "--role", "central" }, StackRole.Central)]
    [InlineData(new[] { "publish", "--output", "out", "--role", "Site" }, StackRole.Site)]
    public async Task Publish_takes_the_role_of_the_machine(string[] arguments, StackRole role)
    {
        var (parsed, code, _, error) = await ParseAsync(arguments);

        Assert.True(code == 0, error);
        Assert.Equal(role, parsed!.Role);
    }

    [Fact]
    public async Task Settings_in_either_form_and_aspires_switches_reach_aspires_builder()
    {
        var (parsed, code, _, error) = await ParseAsync(["--mode=container", "--mode", "process", "--Stack:ListenAddress", "0.0.0.0", "--Monitor:Targets:Gateway=none", "--log-level", "Debug"]);

        Assert.True(code == 0, error);
        Assert.NotNull(parsed);
        Assert.Equal(StackMode.Process, parsed.Mode); // the last one given, as a script's default and then the user's choice
        Assert.False(parsed.Publish);
        Assert.Equal(["--Stack:ListenAddress=0.0.0.0", "--Monitor:Targets:Gateway=none"], parsed.Settings);
        Assert.Equal(["--log-level", "Debug", "--Stack:ListenAddress=0.0.0.0", "--Monitor:Targets:Gateway=none"], parsed.ForAspire());
    }

    [Fact]
    public async Task Publish_becomes_aspires_publish_operation_and_so_does_the_aspire_clis()
    {
        var output = Path.Combine(Path.GetTempPath(), "im-never");

        var (publish, code, _, error) = await ParseAsync(["publish", "--output", output, "--runtime=linux-arm64", "--Alerting:Slack:Enabled=true"]);
        var (aspire, aspireCode, _, aspireError) = await ParseAsync(["--operation", "publish", "--step", "publish", "--output-path", output]);

        Assert.True(code == 0, error);
        Assert.True(aspireCode == 0, aspireError);
        Assert.Equal(["--operation", "publish", "--step", "publish", "--output-path", output, "--Alerting:Slack:Enabled=true"], publish!.ForAspire());
        Assert.Equal("linux-arm64", publish.Runtime);
        Assert.True(aspire!.Publish);
        Assert.Equal(output, aspire.Output);
        Assert.Equal(["--operation", "publish", "--step", "publish", "--output-path", output], aspire.ForAspire());
    }

    private static async Task<(StackArguments? Arguments, int ExitCode, string Output, string Error)> ParseAsync(string[] arguments)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var (parsed, code) = await StackCommandLine.ParseAsync(arguments, output, error);
        return (parsed, code, output.ToString(), error.ToString());
    }
}
