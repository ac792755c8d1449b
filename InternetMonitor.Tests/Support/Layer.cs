namespace InternetMonitor.Tests.Support;

/// <summary>
/// The test layers, as xunit traits: every test class carries exactly one, <c>[Trait(Layer.Key, Layer.Unit)]</c>, so
/// that a layer runs alone (<c>dotnet test --filter "Layer=Unit"</c>, <c>make test-unit</c>) and <c>make test</c> runs all.
/// </summary>
public static class Layer
{
    /// <summary>The trait's name.</summary>
    public const string Key = "Layer";

    /// <summary>
    /// Pure logic, fakes (NSubstitute, the fake ICMP prober <see cref="FakePinger"/>), a fake clock, and servers in this
    /// process on loopback (the probe in process, HTTP, DNS and SMTP stand-ins): no root, no network namespace, no Debian
    /// package or other program, no browser; files in temporary folders only. Runs as an ordinary user with only the
    /// .NET SDK, and <see cref="Prerequisite"/> fails a unit test that asks for more.
    /// </summary>
    public const string Unit = "Unit";

    /// <summary>
    /// Real programs (Prometheus, Alertmanager, promtool, dnsmasq, PHP, nginx, chromium, iptables), raw ICMP sockets,
    /// root, the network namespaces and the lab a test creates, the probe as a process of its own inside them.
    /// </summary>
    public const string Integration = "Integration";

    /// <summary>The whole stack: the AppHost under Aspire's orchestrator, the published compose project, containers.</summary>
    public const string EndToEnd = "EndToEnd";
}
