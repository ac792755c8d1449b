using InternetMonitor.Lab;
using InternetMonitor.Probe.Hosting;
using InternetMonitor.Tests.Support;
using Microsoft.Extensions.Configuration;

namespace InternetMonitor.Tests.Hosting;

/// <summary>
/// Where the probe listens: the command line, then Urls or ASPNETCORE_URLS from the environment, then loopback port
/// 8000; and the line at start that says where and why.
/// </summary>
[Trait(Layer.Key, Layer.Integration)]
public sealed class ListenAddressTests
{
    [Fact]
    public void The_command_line_wins_over_every_other_source()
    {
        var configuration = new ConfigurationManager();
        configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Urls"] = "http://0.0.0.0:8000" });
        configuration.AddCommandLine(["--urls=http://127.0.0.1:9100"]);

        var address = ListenAddress.From(configuration);

        Assert.Equal(new ListenAddress("http://127.0.0.1:9100", "the command line (--urls)"), address);
    }

    [Fact]
    public void With_no_address_set_the_probe_listens_on_loopback_alone()
    {
        var address = ListenAddress.From(new ConfigurationManager());

        Assert.Equal(ListenAddress.Default, address.Urls);
        Assert.Equal("http://127.0.0.1:8000", ListenAddress.Default);
        Assert.StartsWith("the default", address.Source, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Aspnetcore_urls_from_the_environment_is_where_the_probe_listens()
    {
        await using var network = await LabFixture.NamespaceAsync();
        await using var probe = Start(network, [], new() { ["ASPNETCORE_URLS"] = "http://127.0.0.1:8123" });

        await WaitForLineAsync(probe, "Listening on http://127.0.0.1:8123 (from ASPNETCORE_URLS)");
        var listening = await ListeningAsync(network);
        Assert.Contains("127.0.0.1:8123", listening);
        Assert.DoesNotContain(listening, socket => socket.EndsWith(":8000", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_a_setting_the_probe_listens_on_loopback_port_8000_and_says_why()
    {
        await using var network = await LabFixture.NamespaceAsync();
        await using var probe = Start(network, [], []);

        await WaitForLineAsync(probe, "Listening on http://127.0.0.1:8000 (from the default: this host only");
        Assert.Equal(["127.0.0.1:8000"], await ListeningAsync(network));
    }

    [Fact]
    public async Task The_command_line_wins_over_the_environment()
    {
        await using var network = await LabFixture.NamespaceAsync();
        await using var probe = Start(network, ["--urls=http://127.0.0.1:8124"], new() { ["ASPNETCORE_URLS"] = "http://0.0.0.0:8123", ["Urls"] = "http://0.0.0.0:8125" });

        await WaitForLineAsync(probe, "Listening on http://127.0.0.1:8124 (from the command line (--urls))");
        Assert.Equal(["127.0.0.1:8124"], await ListeningAsync(network));
    }

    [Fact]
    public async Task Urls_in_the_environment_wins_over_aspnetcore_urls()
    {
        await using var network = await LabFixture.NamespaceAsync();
        await using var probe = Start(network, [], new() { ["ASPNETCORE_URLS"] = "http://127.0.0.1:8123", ["Urls"] = "http://127.0.0.1:8125" });

        await WaitForLineAsync(probe, "Listening on http://127.0.0.1:8125 (from Urls in the environment)");
        Assert.Equal(["127.0.0.1:8125"], await ListeningAsync(network));
    }

    /// <summary>The probe alone in <paramref name="network"/>, pinging only loopback, given no listen address but <paramref name="arguments"/> and <paramref name="environment"/>.</summary>
    private static LabProcess Start(NetworkNamespace network, string[] arguments, Dictionary<string, string> environment)
    {
        var settings = ProbeHost.Environment([.. ProbeHost.LoopbackArguments()]);
        foreach (var (name, value) in environment)
        {
            settings[name] = value;
        }

        settings["DOTNET_NOLOGO"] = "1";
        return LabProcess.Start(network, ["dotnet", LabFixture.ProbeProgram, .. arguments], settings, Path.GetDirectoryName(LabFixture.ProbeProgram));
    }

    private static Task WaitForLineAsync(LabProcess probe, string text) => probe.WaitForLogAsync(text, TimeSpan.FromSeconds(45), TestContext.Current.CancellationToken);

    /// <summary>The TCP sockets listening in <paramref name="network"/>, as address:port.</summary>
    private static async Task<List<string>> ListeningAsync(NetworkNamespace network)
    {
        var output = await network.RunAsync("ss", "-Hltn");
        return [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[3])];
    }
}
