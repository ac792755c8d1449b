using InternetMonitor.AppHost.Rendering;
using InternetMonitor.AppHost.Stack;
using InternetMonitor.Lab;
using InternetMonitor.Tests.Support;

namespace InternetMonitor.Tests.AppHost;

/// <summary><c>InternetMonitor.AppHost render</c>: the stack's configuration written for a run, or one clear line per problem.</summary>
[Trait(Layer.Key, Layer.Integration)]
public sealed class RenderCommandTests
{
    [Fact]
    public async Task Renders_the_observability_folder_for_the_alertmanager_on_path_and_the_site_and_amtool_and_promtool_accept_it()
    {
        var amtool = Prerequisite.RequireProgram("amtool", "prometheus-alertmanager");
        var output = Directory.CreateTempSubdirectory("im-render-").FullName;
        try
        {
            var (exitCode, stdout, stderr) = await RunAsync("render", "--output", output, "--Alerting:AlertLogUrl=http://127.0.0.1:18000/api/alerts", "--Stack:Site=office");

            Assert.True(exitCode == 0, stderr);
            Assert.Contains($"Rendered {output} for Alertmanager 0.25.0, site office", stdout, StringComparison.Ordinal); // Debian 12's, found on PATH
            var config = Path.Combine(output, "alertmanager", "alertmanager.yml");
            Assert.Contains("url: http://127.0.0.1:18000/api/alerts", await File.ReadAllTextAsync(config, TestContext.Current.CancellationToken), StringComparison.Ordinal);
            var check = await Command.TryRunAsync(amtool, "check-config", config);
            Assert.True(check.ExitCode == 0, check.Output + check.Error);
            var prometheus = Path.Combine(output, "prometheus", "prometheus.yml");
            Assert.Contains("site: \"office\"", await File.ReadAllTextAsync(prometheus, TestContext.Current.CancellationToken), StringComparison.Ordinal);
            var promtool = await Command.TryRunAsync(Prerequisite.RequireProgram("promtool", "prometheus"), "check", "config", prometheus);
            Assert.True(promtool.ExitCode == 0, promtool.Output + promtool.Error);
            foreach (var part in (string[])["prometheus/prometheus.yml", "prometheus/rules/alerts.yml", "grafana/dashboards/internet.json", "loki/loki.yml", "alertmanager/templates/internet-monitor.tmpl"])
            {
                Assert.True(File.Exists(Path.Combine(output, part)), part);
            }
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    [Theory]
    [InlineData(new[] { "render", "--output", "{output}", "--mode", "process" }, "Invalid configuration: unknown argument --mode: settings are written --Section:Key=value\n")]
    [InlineData(new[] { "render" }, "Invalid configuration: render needs --output DIR, where the rendered observability/ folder is written\n")]
    [InlineData(new[] { "render", "--output", "{output}", "--bogus" }, "Invalid configuration: unknown argument --bogus: settings are written --Section:Key=value\n")]
    [InlineData(new[] { "render", "--output", "{output}", "--alertmanager-version", "latest" }, "--alertmanager-version must be a version such as 0.25.0 (got \"latest\")")]
    [InlineData(new[] { "render", "--output", "{output}", "--Alerting:Ntfy:Enabled=true" }, "Invalid configuration: Alerting:Ntfy:TopicUrl must be an absolute http or https URL\n")]
    [InlineData(new[] { "render", "--output", "{output}", "--Alerting:Slack:Enable=true" }, "Invalid configuration: Alerting:Slack:Enable is not a known setting (known: Channel, Enabled, WebhookUrlFile)")]
    [InlineData(new[] { "render", "--output" }, "Invalid configuration: Required argument missing for option: '--output'.\n")]
    [InlineData(new[] { "render", "--output", "{output}", "--Stack:Site=my house" }, "Invalid configuration: Stack:Site must be 1 to 63 letters, digits, '.', '_' or '-', starting with a letter or a digit, such as home or office (got \"my house\")\n")]
    [InlineData(new[] { "render", "--output", "{output}", "--Stack:Sites=office" }, "Invalid configuration: Stack:Sites is not a known setting (known: ")]
    [InlineData(new[] { "render", "--output", "{output}", "--Alerting:Telegram:ChatId=abc" }, "Invalid configuration: Failed to convert configuration value 'abc' at 'Alerting:Telegram:ChatId'")]
    public async Task Bad_arguments_or_settings_exit_with_2_and_say_what_is_wrong(string[] arguments, string expected)
    {
        var output = Path.Combine(Path.GetTempPath(), "im-render-" + Guid.NewGuid().ToString("N"));

        var (exitCode, _, stderr) = await RunAsync([.. arguments.Select(argument => argument.Replace("{output}", output, StringComparison.Ordinal))]);

        Assert.Equal(RenderCommand.ErrorExitCode, exitCode);
        Assert.Contains(expected, stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output), "nothing is written when the settings are wrong");
    }

    [Fact]
    public async Task The_output_may_be_given_as_one_argument_but_never_inside_the_folder_it_is_rendered_from()
    {
        var output = Directory.CreateTempSubdirectory("im-render-").FullName;
        try
        {
            var (exitCode, _, stderr) = await RunAsync("render", $"--output={output}");
            var (inside, _, insideError) = await RunAsync("render", "--output", Path.Combine(AppContext.BaseDirectory, "observability", "rendered"));

            Assert.True(exitCode == 0, stderr);
            Assert.True(File.Exists(Path.Combine(output, "alertmanager", "alertmanager.yml")));
            Assert.Equal(RenderCommand.ErrorExitCode, inside);
            Assert.StartsWith("--output must be outside ", insideError, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    [Fact]
    public async Task An_output_that_cannot_be_written_is_one_line_not_a_crash()
    {
        var (exitCode, _, stderr) = await RunAsync("render", "--output", "/proc/im-render");

        Assert.Equal(RenderCommand.ErrorExitCode, exitCode);
        Assert.StartsWith("Cannot write /proc/im-render: ", stderr, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] arguments)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var (parsed, exitCode) = await StackCommandLine.ParseAsync(arguments, output, error);
        Assert.Null(parsed); // answered by the command line: nothing for Aspire
        return (exitCode, output.ToString(), error.ToString());
    }
}
