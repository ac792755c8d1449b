using System.Net;
using InternetMonitor.Probe.Hosting;
using Microsoft.AspNetCore.Http;

namespace InternetMonitor.Tests.Hosting;

/// <summary>Who may change something (post alerts, start a speed test): with a token, whoever sends it; without one, this host only.</summary>
public sealed class RequestTokenTests
{
    [Theory]
    [InlineData("127.0.0.1", "", null, true)]
    [InlineData("::1", "", null, true)]
    [InlineData("192.0.2.7", "", null, false)]
    [InlineData("192.0.2.7", "s3cret", "Bearer s3cret", true)]
    [InlineData("192.0.2.7", "s3cret", "bearer s3cret", true)]
    [InlineData("192.0.2.7", "s3cret", "Bearer wrong", false)]
    [InlineData("127.0.0.1", "s3cret", null, false)]
    public void A_change_needs_the_token_or_a_client_on_this_host_when_there_is_none(string client, string token, string? authorization, bool accepted)
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse(client);
        if (authorization is not null)
        {
            context.Request.Headers.Authorization = authorization;
        }

        Assert.Equal(accepted, RequestToken.AcceptsChange(context, token));
    }
}
