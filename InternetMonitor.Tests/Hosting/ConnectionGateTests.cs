using System.Net;
using InternetMonitor.Probe.Hosting;
using InternetMonitor.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace InternetMonitor.Tests.Hosting;

/// <summary>Remote and loopback connections counted apart, each refused over its own limit.</summary>
[Trait(Layer.Key, Layer.Unit)]
public sealed class ConnectionGateTests
{
    [Fact]
    public void Remote_connections_over_their_limit_are_refused_while_loopback_still_gets_in()
    {
        var gate = new ConnectionGate(remoteLimit: 2, loopbackLimit: 1);

        Assert.True(gate.TryOpen(ConnectionClient.Remote));
        Assert.True(gate.TryOpen(ConnectionClient.Remote));
        Assert.False(gate.TryOpen(ConnectionClient.Remote));
        Assert.True(gate.TryOpen(ConnectionClient.Loopback));
        Assert.False(gate.TryOpen(ConnectionClient.Loopback));

        Assert.Equal((2, 1), (gate.Open(ConnectionClient.Remote), gate.Open(ConnectionClient.Loopback)));
        Assert.Equal((1L, 1L), (gate.Refused(ConnectionClient.Remote), gate.Refused(ConnectionClient.Loopback)));
    }

    [Fact]
    public void At_accept_connections_queued_for_the_middleware_count_against_the_limit_until_they_reach_it()
    {
        var gate = new ConnectionGate(remoteLimit: 2, loopbackLimit: 1);
        Assert.True(gate.TryOpen(ConnectionClient.Remote)); // one open

        Assert.True(gate.TryAccept(ConnectionClient.Remote)); // one queued: the limit reached
        Assert.False(gate.TryAccept(ConnectionClient.Remote)); // refused at accept, never queued
        Assert.True(gate.TryAccept(ConnectionClient.Loopback));
        Assert.Equal(1L, gate.Refused(ConnectionClient.Remote));

        gate.Dequeued(ConnectionClient.Remote);
        gate.Close(ConnectionClient.Remote);
        Assert.True(gate.TryAccept(ConnectionClient.Remote));
    }

    [Fact]
    public async Task The_probe_serves_through_the_socket_transport_with_the_gate_at_its_accept()
    {
        await using var app = ProbeProgram.Build([.. ProbeHost.LoopbackArguments(), "--urls=http://127.0.0.1:0"]);

        Assert.IsType<GatedConnectionListenerFactory>(app.Services.GetRequiredService<Microsoft.AspNetCore.Connections.IConnectionListenerFactory>());
    }

    [Fact]
    public void A_closed_connection_makes_room_for_the_next()
    {
        var gate = new ConnectionGate(remoteLimit: 1, loopbackLimit: 1);
        Assert.True(gate.TryOpen(ConnectionClient.Remote));
        Assert.False(gate.TryOpen(ConnectionClient.Remote));

        gate.Close(ConnectionClient.Remote);

        Assert.True(gate.TryOpen(ConnectionClient.Remote));
        Assert.Equal(1, gate.Open(ConnectionClient.Remote));
    }

    [Fact]
    public void Many_threads_at_once_never_get_past_the_limit()
    {
        var gate = new ConnectionGate(remoteLimit: 100, loopbackLimit: 1);
        var admitted = 0;

        Parallel.For(0, 10_000, _ =>
        {
            if (gate.TryOpen(ConnectionClient.Remote))
            {
                Interlocked.Increment(ref admitted);
            }
        });

        Assert.Equal(100, admitted);
        Assert.Equal(100, gate.Open(ConnectionClient.Remote));
        Assert.Equal(9_900, gate.Refused(ConnectionClient.Remote));
    }

    [Theory]
    [InlineData("127.0.0.1", ConnectionClient.Loopback)]
    [InlineData("127.8.9.10", ConnectionClient.Loopback)]
    [InlineData("::1", ConnectionClient.Loopback)]
    [InlineData("::ffff:127.0.0.1", ConnectionClient.Loopback)]
    [InlineData("192.0.2.1", ConnectionClient.Remote)]
    [InlineData("::ffff:192.0.2.1", ConnectionClient.Remote)]
    [InlineData("2001:db8::1", ConnectionClient.Remote)]
    public void Clients_are_told_apart_by_their_address(string address, ConnectionClient expected)
    {
        Assert.Equal(expected, ConnectionGate.Classify(new IPEndPoint(IPAddress.Parse(address), 40000)));
    }

    [Fact]
    public void A_unix_socket_client_is_on_this_host()
    {
        Assert.Equal(ConnectionClient.Loopback, ConnectionGate.Classify(new System.Net.Sockets.UnixDomainSocketEndPoint("/tmp/probe.sock")));
    }
}
