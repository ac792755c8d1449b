using System.Net;
using System.Net.Sockets;
using InternetMonitor.Probe.Probing.Dns;
using InternetMonitor.Tests.Support;
using Microsoft.Extensions.Options;

namespace InternetMonitor.Tests.Probing.Dns;

/// <summary>The prober against dnsmasq and against UDP servers that misbehave on purpose, all on loopback.</summary>
[Trait(Layer.Key, Layer.Integration)]
public sealed class DnsProberTests
{
    private readonly DnsProber _prober = new(Options.Create(new DnsOptions { Timeout = TimeSpan.FromMilliseconds(500) }), TimeProvider.System);

    [Fact]
    public async Task An_answer_from_dnsmasq_is_a_success_with_noerror_one_record_and_a_duration()
    {
        await using var dnsmasq = await DnsmasqServer.StartAsync();

        var result = await AskAsync(dnsmasq.Endpoint, DnsmasqServer.KnownName);

        Assert.True(result.Succeeded, result.Detail);
        Assert.Equal("NOERROR", result.ResponseCode);
        Assert.Equal(1, result.Answers);
        Assert.True(result.Answered);
        Assert.InRange(result.Duration, TimeSpan.FromTicks(1), TimeSpan.FromMilliseconds(500));
    }

    [Fact]
    public async Task A_name_that_does_not_exist_is_nxdomain()
    {
        await using var dnsmasq = await DnsmasqServer.StartAsync();

        var result = await AskAsync(dnsmasq.Endpoint, DnsmasqServer.MissingName);

        Assert.Equal(DnsFailureReason.NonExistentDomain, result.Reason);
        Assert.Equal("NXDOMAIN", result.ResponseCode);
    }

    [Fact]
    public async Task A_query_the_server_will_not_serve_is_refused()
    {
        await using var dnsmasq = await DnsmasqServer.StartAsync();

        var result = await AskAsync(dnsmasq.Endpoint, DnsmasqServer.RefusedName);

        Assert.Equal(DnsFailureReason.Refused, result.Reason);
        Assert.Equal("REFUSED", result.ResponseCode);
    }

    [Fact]
    public async Task A_dnsmasq_waiting_on_a_silent_upstream_is_a_timeout()
    {
        await using var dnsmasq = await DnsmasqServer.StartAsync();

        var result = await AskAsync(dnsmasq.Endpoint, DnsmasqServer.SlowName);

        Assert.Equal(DnsFailureReason.Timeout, result.Reason);
        Assert.False(result.Answered);
        Assert.True(result.Duration >= TimeSpan.FromMilliseconds(400), $"gave up after {result.Duration}, before the 500 ms timeout");
    }

    [Fact]
    public async Task Servfail_is_a_failure_with_reason_servfail()
    {
        await using var server = UdpDnsResponder.WithResponseCode(2);

        var result = await AskAsync(server.Endpoint, "example.test");

        Assert.Equal(DnsFailureReason.ServerFailure, result.Reason);
        Assert.Equal("SERVFAIL", result.ResponseCode);
    }

    [Fact]
    public async Task An_empty_noerror_answer_is_nodata()
    {
        await using var server = UdpDnsResponder.WithResponseCode(0);

        var result = await AskAsync(server.Endpoint, "example.test");

        Assert.Equal(DnsFailureReason.NoData, result.Reason);
        Assert.Equal("NOERROR", result.ResponseCode);
    }

    [Fact]
    public async Task A_server_that_never_answers_times_out_once_without_retrying()
    {
        await using var server = UdpDnsResponder.Silent();

        var result = await AskAsync(server.Endpoint, "example.test");

        Assert.Equal(DnsFailureReason.Timeout, result.Reason);
        Assert.Null(result.ResponseCode);
        Assert.False(result.Answered);
        Assert.Equal(1, server.Queries);
    }

    [Fact]
    public async Task Garbage_in_reply_is_an_error_and_never_an_exception()
    {
        await using var server = UdpDnsResponder.WithGarbage();

        var result = await AskAsync(server.Endpoint, "example.test");

        Assert.False(result.Succeeded);
        Assert.True(result.Reason is DnsFailureReason.Error or DnsFailureReason.Timeout, $"{result.Reason}: {result.ResponseCode} {result.Detail}");
    }

    [Fact]
    public async Task A_reply_with_another_id_is_an_error_and_never_an_exception()
    {
        await using var server = UdpDnsResponder.WithWrongId();

        var result = await AskAsync(server.Endpoint, "example.test");

        Assert.True(result.Reason is DnsFailureReason.Error or DnsFailureReason.Timeout, $"{result.Reason}: {result.Detail}");
        Assert.False(result.Succeeded);
    }

    [Fact]
    public async Task A_port_with_no_server_is_a_failure_and_never_an_exception()
    {
        using var placeholder = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        placeholder.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var endpoint = (IPEndPoint)placeholder.LocalEndPoint!;
        placeholder.Close();

        var result = await AskAsync(endpoint, "example.test");

        Assert.Contains(result.Reason, new[] { DnsFailureReason.NetworkError, DnsFailureReason.Timeout });
    }

    [Fact]
    public async Task The_system_resolver_resolves_localhost()
    {
        var result = await _prober.ProbeAsync(new DnsQuery("system", null, "localhost", DnsRecordType.A), TestContext.Current.CancellationToken);

        Assert.True(result.Succeeded, result.Detail);
        Assert.True(result.Answers >= 1);
        Assert.Equal("system", result.Query.Server);
    }

    private Task<DnsResult> AskAsync(IPEndPoint server, string name) =>
        _prober.ProbeAsync(new DnsQuery("lab", server, name, DnsRecordType.A), TestContext.Current.CancellationToken);
}
