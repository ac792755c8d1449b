using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace InternetMonitor.Tests.Support;

/// <summary>One request as a <see cref="CaptureServer"/> received it.</summary>
public sealed record CapturedRequest(string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string Text => Encoding.UTF8.GetString(Body);

    public bool Contains(string text) => Body.AsSpan().IndexOf(Encoding.UTF8.GetBytes(text)) >= 0;
}

/// <summary>
/// An HTTP server on a free loopback port that answers every request with <see cref="Reply"/> and keeps it:
/// the far end of an OTLP exporter or of Alertmanager's receivers.
/// </summary>
public sealed class CaptureServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private CaptureServer(WebApplication app) => _app = app;

    public ConcurrentQueue<CapturedRequest> Requests { get; } = new();

    /// <summary>The body and content type every request gets (200).</summary>
    public (string ContentType, string Body) Reply { get; set; } = ("application/json", "{}");

    public Uri Url => ProbeHost.BaseAddress(_app);

    public static async Task<CaptureServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new CaptureServer(app);
        app.Run(async context =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body, context.RequestAborted);
            server.Requests.Enqueue(new(
                context.Request.Method,
                context.Request.Path.Value ?? string.Empty,
                context.Request.QueryString.Value ?? string.Empty,
                context.Request.Headers.ToDictionary(header => header.Key, header => header.Value.ToString(), StringComparer.OrdinalIgnoreCase),
                body.ToArray()));
            context.Response.ContentType = server.Reply.ContentType;
            await context.Response.WriteAsync(server.Reply.Body, context.RequestAborted);
        });
        await app.StartAsync(TestContext.Current.CancellationToken);
        return server;
    }

    /// <summary>The first request that satisfies <paramref name="match"/>, waiting for it up to <paramref name="deadline"/>.</summary>
    public async Task<CapturedRequest> WaitForAsync(Func<CapturedRequest, bool> match, TimeSpan deadline, string what) =>
        (await Poll.UntilAsync(
            () => Task.FromResult(Requests.FirstOrDefault(match)),
            request => request is not null,
            $"{what} arriving",
            deadline,
            TimeSpan.FromMilliseconds(50),
            explain: _ => Task.FromResult($"requests seen: {string.Join(", ", Requests.Select(r => r.Method + " " + r.Path).Distinct())}")))!;

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
