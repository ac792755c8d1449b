using System.Net;
using System.Net.Http.Headers;
using InternetMonitor.Lab;
using InternetMonitor.Tests.Support;

namespace InternetMonitor.Tests.Probing.SpeedTest;

/// <summary>The probe as a Cloudflare-compatible speed-test server (GET /__down?bytes=N, POST /__up), in process on loopback.</summary>
[Trait(Layer.Key, Layer.Unit)]
public sealed class SpeedTestServerTests
{
    [Fact]
    public async Task It_sends_the_bytes_asked_for_and_counts_the_bytes_uploaded()
    {
        await using var app = await ProbeHost.StartAsync("--Monitor:SpeedTestServer:Enabled=true");
        using var client = new HttpClient { BaseAddress = ProbeHost.BaseAddress(app) };

        using var download = await client.GetAsync(new Uri("/__down?bytes=3000000", UriKind.Relative), TestContext.Current.CancellationToken);
        var body = await download.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);
        using var upload = await client.PostAsync(new Uri("/__up", UriKind.Relative), new ByteArrayContent(new byte[40_000_000]), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(3_000_000, download.Content.Headers.ContentLength);
        Assert.Equal(3_000_000, body.Length);
        Assert.Equal(HttpStatusCode.OK, upload.StatusCode);
        Assert.Equal("40000000", (await upload.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).Trim());
        var metrics = await ProbeHost.ScrapeAsync(app);
        Assert.Equal(3_000_000, metrics.Value("internet_monitor_speedtest_server_bytes_total", ("direction", "download")));
        Assert.Equal(40_000_000, metrics.Value("internet_monitor_speedtest_server_bytes_total", ("direction", "upload"))); // over the web server's own 30 MB default
    }

    [Fact]
    public async Task Requests_without_the_token_over_the_cap_or_malformed_are_refused_with_a_reason()
    {
        await using var app = await ProbeHost.StartAsync("--Monitor:SpeedTestServer:Enabled=true", "--Monitor:SpeedTestServer:MaxBytes=1000000", "--Monitor:SpeedTestServer:Token=s3cret");
        using var client = new HttpClient { BaseAddress = ProbeHost.BaseAddress(app) };

        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(client, HttpMethod.Get, "/__down?bytes=10", token: null));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(client, HttpMethod.Get, "/__down?bytes=10", token: "wrong"));
        Assert.Equal(HttpStatusCode.BadRequest, await StatusAsync(client, HttpMethod.Get, "/__down?bytes=ten", token: "s3cret"));
        Assert.Equal(HttpStatusCode.BadRequest, await StatusAsync(client, HttpMethod.Get, "/__down?bytes=-1", token: "s3cret"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, await StatusAsync(client, HttpMethod.Get, "/__down?bytes=1000001", token: "s3cret"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, await StatusAsync(client, HttpMethod.Post, "/__up", token: "s3cret", body: 1_000_001));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(client, HttpMethod.Get, "/__down?bytes=1000000", token: "s3cret"));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(client, HttpMethod.Get, "/__down?bytes=10&token=s3cret", token: null));
    }

    [Fact]
    public async Task The_endpoints_are_not_there_unless_enabled()
    {
        await using var app = await ProbeHost.StartAsync();
        using var client = new HttpClient { BaseAddress = ProbeHost.BaseAddress(app) };

        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(client, HttpMethod.Get, "/__down?bytes=10", token: null));
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(client, HttpMethod.Post, "/__up", token: null, body: 10));
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient client, HttpMethod method, string path, string? token, int body = 0)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (method == HttpMethod.Post)
        {
            request.Content = new ByteArrayContent(new byte[body]);
        }

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        return response.StatusCode;
    }
}
