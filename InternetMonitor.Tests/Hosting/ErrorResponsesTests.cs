using System.Collections.Concurrent;
using System.Net;
using InternetMonitor.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace InternetMonitor.Tests.Hosting;

/// <summary>A request the probe cannot answer for a reason of its own: 500 with a request id, logged once with that id, no stack trace in the answer.</summary>
[Trait(Layer.Key, Layer.Unit)]
public sealed class ErrorResponsesTests
{
    [Fact]
    public async Task A_fault_is_answered_500_with_a_request_id_and_logged_once_with_it()
    {
        var lines = new ConcurrentQueue<string>();
        await using var probe = await ProbeHost.StartAsync(builder =>
        {
            builder.Logging.AddProvider(new CapturingLoggerProvider(lines));
            builder.Services.AddTransient<IStartupFilter, FaultyPath>();
        });
        using var client = new HttpClient { BaseAddress = ProbeHost.BaseAddress(probe) };

        using var response = await client.GetAsync(new Uri(FaultyPath.Path, UriKind.Relative), TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var id = Assert.Single(System.Text.RegularExpressions.Regex.Matches(text, "request id (?<id>[0-9a-f]{32})")).Groups["id"].Value;
        Assert.DoesNotContain(FaultyPath.Message, text, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
        var logged = lines.Where(line => line.Contains(FaultyPath.Message, StringComparison.Ordinal)).ToList();
        Assert.Single(logged);
        Assert.Contains($"request id {id}", logged[0], StringComparison.Ordinal);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
    }

    /// <summary>A path no endpoint serves, past the probe's own pipeline, that throws: a fault the probe did not foresee.</summary>
    private sealed class FaultyPath : IStartupFilter
    {
        public const string Path = "/test-fault";
        public const string Message = "a fault nobody foresaw";

        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            next(app);
            app.Use((context, following) => context.Request.Path == Path ? throw new InvalidOperationException(Message) : following(context));
        };
    }
}
