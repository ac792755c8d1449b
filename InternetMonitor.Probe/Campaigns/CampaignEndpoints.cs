using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Serialization;
using InternetMonitor.Probe.History;
using InternetMonitor.Probe.Hosting;
using InternetMonitor.Probe.Probing.SpeedTest;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace InternetMonitor.Probe.Campaigns;

/// <summary>
/// <c>/api/campaigns</c>: start a measurement campaign (one at a time), read the one under way and those the history
/// holds, cancel it. Starting and cancelling spend or stop the line's measurements, so they are guarded like a speed test
/// on demand (<c>Monitor:SpeedTest:RunToken</c>, else a program on this host only).
/// </summary>
public static class CampaignEndpoints
{
    public const string Path = "/api/campaigns";
    private const string Tag = "campaigns";

    public static WebApplication MapCampaigns(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapPost(Path, Start)
            .WithTags(Tag)
            .WithSummary("Start a measurement campaign by a regulator's rules (default bnetza: 30 speed tests on 3 days within 14)")
            .WithDescription("The body `{}` or `{\"rules\": \"bnetza\"}`. Refused while one runs, when the speed test or the history is off, and when the campaign does not fit in the data budget. Guarded like POST /api/speedtests/run.")
            .Accepts<CampaignRequest>(isOptional: true, "application/json")
            .ProducesJson<CampaignStatus, RouteHandlerBuilder>(StatusCodes.Status201Created, "Started: where it stands and its plan for the first day.")
            .ProducesText(StatusCodes.Status400BadRequest, "A body that is not the JSON expected, or rules not known.")
            .ProducesText(StatusCodes.Status401Unauthorized, "No or a wrong token, or a client not on this host with no token configured.")
            .ProducesText(StatusCodes.Status409Conflict, "One runs, the speed test or the history is off, or the data budget cannot hold it.");
        app.MapGet(Path, List)
            .WithTags(Tag)
            .WithSummary("Every campaign the history holds, newest first, with where each stands and its verdict")
            .ProducesJson<IReadOnlyList<CampaignStatus>, RouteHandlerBuilder>(StatusCodes.Status200OK, "The campaigns.")
            .ProducesText(StatusCodes.Status503ServiceUnavailable, "The history cannot be read; the probe's log says why.");
        app.MapGet(Path + "/current", Current)
            .WithTags(Tag)
            .WithSummary("The campaign under way: its day, its measurements, the next one's time, its verdict so far")
            .ProducesJson<CampaignStatus, RouteHandlerBuilder>(StatusCodes.Status200OK, "The campaign under way.")
            .ProducesText(StatusCodes.Status404NotFound, "None runs.");
        app.MapPost(Path + "/current/cancel", Cancel)
            .WithTags(Tag)
            .WithSummary("Cancel the campaign under way (its measurements stay in the history)")
            .Accepts<JsonElement>(isOptional: true, "application/json")
            .ProducesJson<CampaignStatus, RouteHandlerBuilder>(StatusCodes.Status200OK, "Cancelled: where it stood.")
            .ProducesText(StatusCodes.Status401Unauthorized, "No or a wrong token, or a client not on this host with no token configured.")
            .ProducesText(StatusCodes.Status404NotFound, "None runs.");
        return app;
    }

    private static async Task<Results<JsonHttpResult<CampaignStatus>, ContentHttpResult>> Start(HttpContext context, [FromServices] CampaignRunner runner, [FromServices] IOptions<SpeedTestOptions> settings)
    {
        if (Unauthorized(context, settings.Value) is { } refusal)
        {
            return refusal;
        }

        CampaignRequest? request;
        try
        {
            request = context.Request.ContentLength == 0 ? null : await JsonSerializer.DeserializeAsync(context.Request.Body, CampaignJsonContext.Default.CampaignRequest, context.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException exception)
        {
            return TypedResults.Text($"the body must be {{}} or {{\"rules\": \"{CampaignRuleBook.DefaultRules}\"}}: {exception.Message}\n", statusCode: StatusCodes.Status400BadRequest);
        }

        var started = await runner.StartAsync(request?.Rules ?? CampaignRuleBook.DefaultRules).ConfigureAwait(false);
        switch (started.Outcome)
        {
            case CampaignStartOutcome.Started:
                context.Response.Headers.Location = Path + "/current";
                return TypedResults.Json(started.Status!, CampaignJsonContext.Default.CampaignStatus, statusCode: StatusCodes.Status201Created);
            case CampaignStartOutcome.UnknownRules:
                return TypedResults.Text(started.Problem + "\n", statusCode: StatusCodes.Status400BadRequest);
            default:
                return TypedResults.Text(started.Problem + "\n", statusCode: StatusCodes.Status409Conflict);
        }
    }

    private static Results<JsonHttpResult<IReadOnlyList<CampaignStatus>>, ContentHttpResult> List([FromServices] CampaignRunner runner, [FromServices] HistoryReader reader, [FromServices] TimeProvider time)
    {
        try
        {
            var current = runner.Status();
            var now = time.GetUtcNow();
            var campaigns = reader.Campaigns().Select(campaign => campaign.Id == current?.Id ? current : Ended(reader, campaign, now)).ToList();
            return TypedResults.Json<IReadOnlyList<CampaignStatus>>(campaigns, CampaignJsonContext.Default.IReadOnlyListCampaignStatus);
        }
        catch (HistoryException exception)
        {
            return HistoryEndpoints.Unreadable(exception);
        }
    }

    /// <summary>A campaign the runner does not hold (ended, or left by an earlier run), described from its speed tests.</summary>
    private static CampaignStatus Ended(HistoryReader reader, CampaignRecord campaign, DateTimeOffset now)
    {
        var rules = CampaignRuleBook.Find(campaign.Rules);
        var until = campaign.EndedAt ?? now;
        using var tests = reader.SpeedTests(campaign.StartedAt, until.AddMinutes(5), int.MaxValue);
        var ofCampaign = tests.Where(test => test.Campaign == campaign.Id).ToList();
        return CampaignRunner.Describe(campaign, CampaignMeasurements.Tries(campaign, ofCampaign), until, CampaignMeasurements.Of(campaign, ofCampaign)) with { Next = null, Planned = [] };
    }

    private static Results<JsonHttpResult<CampaignStatus>, ContentHttpResult> Current([FromServices] CampaignRunner runner) =>
        runner.Status() is { } status
            ? TypedResults.Json(status, CampaignJsonContext.Default.CampaignStatus)
            : TypedResults.Text($"no campaign is running; start one with POST {Path}\n", statusCode: StatusCodes.Status404NotFound);

    private static async Task<Results<JsonHttpResult<CampaignStatus>, ContentHttpResult>> Cancel(HttpContext context, [FromServices] CampaignRunner runner, [FromServices] IOptions<SpeedTestOptions> settings)
    {
        if (Unauthorized(context, settings.Value) is { } refusal)
        {
            return refusal;
        }

        return await runner.CancelAsync().ConfigureAwait(false) is { } status
            ? TypedResults.Json(status, CampaignJsonContext.Default.CampaignStatus)
            : TypedResults.Text("no campaign is running\n", statusCode: StatusCodes.Status404NotFound);
    }

    private static ContentHttpResult? Unauthorized(HttpContext context, SpeedTestOptions options)
    {
        return RequestToken.AcceptsChange(context, options.RunToken) ? null : RequestToken.Refusal(options.RunToken, "Monitor:SpeedTest:RunToken");
    }
}

/// <summary>What <c>POST /api/campaigns</c> takes: the rules to follow (their key in Campaigns/campaign-rules.json).</summary>
public sealed record CampaignRequest([property: Description("The rules' key; default bnetza.")] string? Rules);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(CampaignRequest))]
[JsonSerializable(typeof(CampaignStatus))]
[JsonSerializable(typeof(IReadOnlyList<CampaignStatus>))]
internal sealed partial class CampaignJsonContext : JsonSerializerContext;
