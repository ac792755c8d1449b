using System.Text.Json;
using InternetMonitor.Lab;
using InternetMonitor.Probe.Probing.SpeedTest.Command;
using InternetMonitor.Tests.Support;

namespace InternetMonitor.Tests.Probing.SpeedTest;

/// <summary><c>speedtest</c>: arguments, the JSON document, the summary, exit codes and the one message of a failure.</summary>
[Trait(Layer.Key, Layer.Unit)]
public sealed class SpeedTestCommandTests
{
    private static readonly string[] Small = ["--Monitor:SpeedTest:RequestSizes:0=100000", "--Monitor:SpeedTest:RequestSizes:1=1000000", "--Monitor:SpeedTest:IdleLatencySamples=5"];

    [Fact]
    public void Flags_become_settings_of_the_speed_test_section()
    {
        var line = new SpeedTestCommandLine();
        var result = line.Command.Parse(["--server", "http://127.0.0.1:8/", "--server", "http://127.0.0.1:9/", "--server-type=LibreSpeed", "--streams", "4", "--max-bytes", "5000000", "--json", "--Monitor:SpeedTest:StallTimeout=00:00:02", "--Monitor:SpeedTest:UploadUrl", "http://127.0.0.1:9/up"]);

        var (settings, json) = line.Read(result);
        Assert.Empty(result.Errors);
        Assert.True(json);
        Assert.Equal("http://127.0.0.1:9/", settings["Monitor:SpeedTest:Server"]); // the last one given, as with settings
        Assert.Equal("LibreSpeed", settings["Monitor:SpeedTest:ServerType"]);
        Assert.Equal("4", settings["Monitor:SpeedTest:Streams"]);
        Assert.Equal("5000000", settings["Monitor:SpeedTest:MaxBytes"]);
        Assert.Equal("00:00:02", settings["Monitor:SpeedTest:StallTimeout"]);
        Assert.Equal("http://127.0.0.1:9/up", settings["Monitor:SpeedTest:UploadUrl"]); // --Key value, as the configuration reads it
    }

    [Fact]
    public async Task Help_lists_every_option_and_exits_0_without_measuring()
    {
        var (code, output, error) = await RunAsync(["--help"]);

        Assert.Equal(0, code);
        Assert.Empty(error);
        foreach (var option in (string[])["--server <URL>", "--server-type <cloudflare|librespeed|url>", "--upload-url <URL>", "--streams <N>", "--max-bytes <N>", "--token <TOKEN>", "--json", "--help", "--Monitor:SpeedTest:Key=value", "Exit codes: 0 measured, 1"])
        {
            Assert.Contains(option, output, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("additional arguments", output, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("--server-type ookla", "--server-type must be cloudflare, librespeed or url (got 'ookla')")]
    [InlineData("--streams", "Required argument missing for option: '--streams'")]
    [InlineData("--streams many", "--streams must be a whole number (got 'many')")]
    [InlineData("--fast", "unknown argument --fast: settings are written --Monitor:SpeedTest:Key=value")]
    [InlineData("--Monitor:Icmp:Interval=00:00:01", "Monitor:Icmp:Interval is not a known setting: settings are under Monitor:SpeedTest")]
    public async Task Bad_arguments_exit_2_with_one_message(string arguments, string message)
    {
        var (code, output, error) = await RunAsync(arguments.Split(' '));

        Assert.Equal(SpeedTestCommand.UsageExitCode, code);
        Assert.Equal($"speedtest: {message} (see --help)", error.Trim());
        Assert.Empty(output);
    }

    [Fact]
    public async Task A_setting_out_of_range_exits_2_with_the_validation_message()
    {
        var (code, _, error) = await RunAsync(["--server", "http://127.0.0.1:9/", "--streams", "99"]);

        Assert.Equal(SpeedTestCommand.UsageExitCode, code);
        Assert.Equal("Invalid configuration: Monitor:SpeedTest:Streams must be between 0 and 16 (got 99); Monitor:SpeedTest:Streams must not be more than Monitor:SpeedTest:MaxStreams (99 > 8)", error.Trim());
    }

    [Fact]
    public async Task Json_against_a_probe_prints_both_directions_in_bytes_and_bits_per_second()
    {
        await using var server = await SpeedTestServerTypeTests.StartServingProbeAsync();

        var (code, output, error) = await RunAsync(["--server", ProbeHost.BaseAddress(server).ToString(), "--json", .. Small]);

        Assert.True(code == 0, error);
        using var document = JsonDocument.Parse(output);
        var root = document.RootElement;
        Assert.True(root.GetProperty("succeeded").GetBoolean());
        Assert.Equal("cloudflare", root.GetProperty("serverType").GetString());
        foreach (var direction in (string[])["download", "upload"])
        {
            var figures = root.GetProperty(direction);
            var bytes = figures.GetProperty("bytesPerSecond").GetDouble();
            Assert.True(bytes > 0);
            Assert.Equal(bytes * 8, figures.GetProperty("bitsPerSecond").GetDouble(), 6);
            Assert.Equal(figures.GetProperty("bytesUsed").GetInt64(), root.GetProperty("bytesUsed").GetProperty(direction).GetInt64());
        }

        Assert.Equal(5, root.GetProperty("idleLatency").GetProperty("samples").GetInt32());
        Assert.True(root.GetProperty("idleLatency").GetProperty("medianSeconds").GetDouble() > 0);
        Assert.True(root.GetProperty("end").GetDateTimeOffset() >= root.GetProperty("start").GetDateTimeOffset());
        var metrics = await ProbeHost.ScrapeAsync(server);
        Assert.Equal(root.GetProperty("bytesUsed").GetProperty("total").GetInt64(),
            metrics.Value("internet_monitor_speedtest_server_bytes_total", ("direction", "download"))!.Value + metrics.Value("internet_monitor_speedtest_server_bytes_total", ("direction", "upload"))!.Value);
    }

    [Fact]
    public async Task A_failed_run_exits_1_with_one_message_and_the_reason_in_the_json()
    {
        await using var server = new FaultySpeedTestServer(SpeedTestServerFault.NotFound);

        var (code, output, error) = await RunAsync(["--server", server.Url.ToString(), "--json", .. Small]);

        Assert.Equal(SpeedTestCommand.FailedExitCode, code);
        Assert.Equal("Speed test failed in the download phase (status): status 404 for a download of 100000 bytes", error.Trim());
        using var document = JsonDocument.Parse(output);
        Assert.Equal("status", document.RootElement.GetProperty("reason").GetString());
        Assert.Equal("download", document.RootElement.GetProperty("failedIn").GetString());
        Assert.Equal(JsonValueKind.Null, document.RootElement.GetProperty("download").GetProperty("bytesPerSecond").ValueKind);
    }

    [Fact]
    public async Task On_a_terminal_progress_is_drawn_in_place_and_a_summary_ends_the_run()
    {
        await using var server = new FaultySpeedTestServer(SpeedTestServerFault.None);

        var (code, output, _) = await RunAsync(["--server", server.Url.ToString(), .. Small], new SpeedTestCommand.Terminals(Output: true, Error: true));

        Assert.Equal(0, code);
        Assert.Contains("\rlatency", output, StringComparison.Ordinal);
        Assert.Contains("\rdownload", output, StringComparison.Ordinal);
        var summary = output[(output.LastIndexOf('\r') + 1)..];
        Assert.Matches(@"(?m)^Download +[0-9.]+ Mbit/s, [0-9]+ stream", summary);
        Assert.Matches(@"(?m)^Upload +[0-9.]+ Mbit/s", summary);
        Assert.Matches(@"(?m)^Data used +[0-9.]+ [kMG]?B down, [0-9.]+ [kMG]?B up", summary); // a slow run may move less than 1 MB one way
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(string[] arguments, SpeedTestCommand.Terminals terminals = default)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await SpeedTestCommand.RunAsync(arguments, output, error, terminals, TestContext.Current.CancellationToken);
        return (code, output.ToString(), error.ToString());
    }
}
