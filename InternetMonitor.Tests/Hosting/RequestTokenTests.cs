using System.Net;
using InternetMonitor.Probe.Hosting;
using InternetMonitor.Tests.Support;
using Microsoft.AspNetCore.Http;

namespace InternetMonitor.Tests.Hosting;

/// <summary>Who may change something (post alerts, start a speed test): with a token, whoever sends it; without one, this host only.</summary>
[Trait(Layer.Key, Layer.Unit)]
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
        context.Request.Host = new HostString(client.Contains(':', StringComparison.Ordinal) ? $"[{client}]:8000" : $"{client}:8000");
        context.Request.ContentType = "application/json";
        if (authorization is not null)
        {
            context.Request.Headers.Authorization = authorization;
        }

        Assert.Equal(accepted, RequestToken.AcceptsChange(context, token));
    }

    [Theory]
    [InlineData("localhost:8000", "application/json; charset=utf-8", true)]
    [InlineData("127.0.0.1", "application/json", true)]
    [InlineData("0.0.0.0:8000", "application/json", true)] // the AppHost's Alertmanager, the stack listening on every address
    [InlineData("evil.example:8000", "application/json", false)] // a web page's name rebound to 127.0.0.1
    [InlineData("127.0.0.1:8000", "text/plain", false)] // what a web page may post anywhere without asking
    [InlineData("127.0.0.1:8000", "application/x-www-form-urlencoded", false)]
    [InlineData("127.0.0.1:8000", null, false)]
    public void Without_a_token_only_a_program_on_this_host_is_accepted_not_a_web_page_in_a_browser_here(string host, string? type, bool accepted)
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Loopback;
        context.Request.Host = new HostString(host);
        context.Request.ContentType = type;

        Assert.Equal(accepted, RequestToken.AcceptsChange(context, string.Empty));
    }
}
