using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using InternetMonitor.Probe.Hosting;
using InternetMonitor.Probe.Scheduling;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace InternetMonitor.Probe.Probing.SpeedTest;

/// <summary>
/// <c>POST /api/speedtests/run</c>: a speed test now, as the schedule would run it (the data budget and an outage may
/// still skip it), never two at once and at most one asked for every <see cref="MinInterval"/>; answered at once with
/// where its result will be read (202, Location: the history's speed tests from its start). A client not on this host
/// needs <c>Monitor:SpeedTest:RunToken</c>.
/// </summary>
public static class SpeedTestRunEndpoints
{
    public const string Path = "/api/speedtests/run";
    public static readonly TimeSpan MinInterval = TimeSpan.FromMinutes(5);

    public static WebApplication MapSpeedTestRun(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapPost(Path, Run)
            .WithTags("speed test")
            .WithSummary("Run a speed test now, as the schedule would (the data budget and an outage may still skip it)")
            .WithDescription("Never two at once; at most one asked for every 5 minutes. A client needs `Authorization: Bearer <Monitor:SpeedTest:RunToken>`; without that setting, only a program on the probe's host is accepted (from loopback, to a loopback host name, with a JSON body such as `{}`), not a web page in a browser there.")
            .Accepts<JsonElement>(isOptional: true, "application/json")
            .ProducesJson<SpeedTestRunStarted, RouteHandlerBuilder>(StatusCodes.Status202Accepted, "Started; Location (and `result`) is where its row will be read.")
            .WithResponseHeader(StatusCodes.Status202Accepted, "Location", "The history's speed tests from this one's start: `/api/history/speedtests?from=<its start>`.")
            .ProducesText(StatusCodes.Status401Unauthorized, "No or a wrong token, or a client not on this host with no token configured.")
            .ProducesText(StatusCodes.Status409Conflict, "One is running, or the speed test is off.")
            .ProducesText(StatusCodes.Status429TooManyRequests, "Asked for within 5 minutes of the last; Retry-After says when.")
            .WithResponseHeader(StatusCodes.Status429TooManyRequests, "Retry-After", "Seconds to wait.", JsonSchemaType.Integer);
        return app;
    }

    private static Results<JsonHttpResult<SpeedTestRunStarted>, ContentHttpResult> Run(HttpContext context, [FromServices] IOptions<SpeedTestOptions> settings, [FromServices] JobScheduler scheduler)
    {
        var options = settings.Value;
        if (!RequestToken.AcceptsChange(context, options.RunToken))
        {
            return RequestToken.Refusal(options.RunToken, "Monitor:SpeedTest:RunToken");
        }

        var run = scheduler.RunNow(SpeedTestJob.JobName, MinInterval);
        switch (run.Outcome)
        {
            case OnDemandOutcome.Started:
                var result = $"/api/history/speedtests?from={Uri.EscapeDataString(run.StartedAt!.Value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture))}";
                context.Response.Headers.Location = result;
                return TypedResults.Json(new SpeedTestRunStarted(run.StartedAt.Value, result), SpeedTestRunJsonContext.Default.SpeedTestRunStarted, statusCode: StatusCodes.Status202Accepted);
            case OnDemandOutcome.Busy:
                return TypedResults.Text("a speed test is running now; its result will be in /api/history/speedtests\n", statusCode: StatusCodes.Status409Conflict);
            case OnDemandOutcome.TooSoon:
                var seconds = (int)Math.Ceiling(run.RetryAfter!.Value.TotalSeconds);
                context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                return TypedResults.Text($"one speed test on demand every {MinInterval.TotalMinutes:0} minutes: ask again in {seconds} s\n", statusCode: StatusCodes.Status429TooManyRequests);
            default:
                return TypedResults.Text("the speed test is off (Monitor:SpeedTest:Enabled=false)\n", statusCode: StatusCodes.Status409Conflict);
        }
    }
}

/// <summary>A speed test started on demand, and where to read its result.</summary>
public sealed record SpeedTestRunStarted(DateTimeOffset StartedAt, [property: Description("The history's speed tests from this start.")] string Result);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(SpeedTestRunStarted))]
internal sealed partial class SpeedTestRunJsonContext : JsonSerializerContext;
