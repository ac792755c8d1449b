using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using InternetMonitor.Probe.History;
using InternetMonitor.Probe.Hosting;
using InternetMonitor.Probe.Recording;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace InternetMonitor.Probe.Alerting;

/// <summary>
/// <c>POST /api/alerts</c> takes Alertmanager's webhook notifications (401 without the configured token, 400 with a
/// reason for a body that is not one, 413 over 1 MiB, 503 while the history cannot keep them); <c>GET /api/alerts?limit=N</c> lists the latest received
/// alerts, newest first.
/// </summary>
public static class AlertLogEndpoints
{
    public const string Path = "/api/alerts";
    public const int MaxBodyBytes = 1 << 20;
    public const int DefaultLimit = 100;

    /// <summary>How long a notification waits for the history to commit it before it is answered 503.</summary>
    public static readonly TimeSpan HistoryWait = TimeSpan.FromSeconds(5);

    public static WebApplication MapAlertLog(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapPost(Path, ReceiveAsync)
            .WithTags(Tag)
            .WithSummary("Alertmanager's webhook: each new firing or resolution is kept and logged once")
            .WithDescription("Needs `Authorization: Bearer <token>` (or `?token=`) when Monitor:AlertLog:Token is set; without that setting, only a program on the probe's host is accepted (from loopback, to a loopback host name, with a JSON body), not a web page in a browser there.")
            .Accepts<AlertmanagerWebhook>("application/json")
            .ProducesText(StatusCodes.Status200OK, "Accepted and committed to the history; the body says how many alerts were new.")
            .ProducesText(StatusCodes.Status400BadRequest, "Not Alertmanager's webhook JSON.")
            .ProducesText(StatusCodes.Status401Unauthorized, "A token is configured and the request has none or another, or no token is configured and the request is not from a program on this host.")
            .ProducesText(StatusCodes.Status413PayloadTooLarge, "Over 1 MiB.")
            .ProducesText(StatusCodes.Status503ServiceUnavailable, "Received, but the history database cannot commit them now (locked, read-only, full, damaged): Alertmanager sends the notification again.");
        app.MapGet(Path, List)
            .WithTags(Tag)
            .WithSummary("The most recent alerts received, newest first (kept in memory)")
            .WithQuerySchema("limit", ApiDescription.WholeNumber(1))
            .ProducesJson<IReadOnlyList<AlertNotification>, RouteHandlerBuilder>(StatusCodes.Status200OK, "Alerts, newest first.")
            .ProducesText(StatusCodes.Status400BadRequest, "A bad limit.");
        return app;
    }

    private const string Tag = "alerts";

    /// <summary>Reads the body itself (not bound) so that its size is capped here and a bad one is answered with what is wrong with it.</summary>
    private static async Task<ContentHttpResult> ReceiveAsync(
        HttpContext context, [FromServices] IOptions<AlertLogOptions> settings, [FromServices] AlertLogMetrics metrics,
        [FromServices] TimeProvider clock, [FromServices] AlertIntake intake, [FromServices] HistoryWriter history)
    {
        var options = settings.Value;
        if (!RequestToken.AcceptsChange(context, options.Token))
        {
            metrics.Rejected(AlertLogMetrics.Unauthorized);
            return RequestToken.Refusal(options.Token, "Monitor:AlertLog:Token");
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxBodyBytes;
        }

        AlertmanagerWebhook? webhook;
        try
        {
            webhook = await JsonSerializer.DeserializeAsync(context.Request.Body, AlertLogJsonContext.Default.AlertmanagerWebhook, context.RequestAborted);
        }
        catch (JsonException exception)
        {
            metrics.Rejected(AlertLogMetrics.Invalid);
            return TypedResults.Text($"not an Alertmanager webhook notification: {ClientText.Clean(exception.Message, 300)}\n", statusCode: StatusCodes.Status400BadRequest);
        }
        catch (BadHttpRequestException exception) when (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            metrics.Rejected(AlertLogMetrics.TooLarge);
            return TypedResults.Text($"at most {MaxBodyBytes} bytes per notification\n", statusCode: StatusCodes.Status413PayloadTooLarge);
        }

        var time = clock.GetUtcNow();
        var (alerts, problem) = webhook is null ? ([], "the body is empty") : AlertNotification.From(webhook, time);
        if (problem is not null)
        {
            metrics.Rejected(AlertLogMetrics.Invalid);
            return TypedResults.Text($"not an Alertmanager webhook notification: {problem}\n", statusCode: StatusCodes.Status400BadRequest);
        }

        // Alertmanager repeats every alert of a group in each notification of it: only what is new is kept.
        var kept = await intake.ReceiveAsync(alerts, context.RequestAborted);

        // Answered 200 only once the history holds them (a repeat included: its first delivery may still wait). Otherwise
        // 503, and Alertmanager sends the notification again: nothing it was told was kept is lost if the probe then stops.
        if (!await history.FlushAsync(HistoryWait))
        {
            var status = history.Status;
            metrics.Rejected(AlertLogMetrics.NotKept);
            return TypedResults.Text(
                $"{alerts.Count} alerts received but not yet kept: the history database cannot be written ({status.Reason ?? "slow"}); send them again\n",
                statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        return TypedResults.Text(string.Create(CultureInfo.InvariantCulture, $"{alerts.Count} alerts received, {kept} new\n"));
    }

    private static Results<JsonHttpResult<IReadOnlyList<AlertNotification>>, ContentHttpResult> List(
        [FromQuery(Name = "limit"), Description("At most this many (default 100).")] string? query, [FromServices] AlertLog log, [FromServices] IOptions<AlertLogOptions> options)
    {
        var capacity = options.Value.Capacity;
        query ??= string.Empty;
        var limit = DefaultLimit;
        if (query.Length > 0 && (!int.TryParse(query, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1))
        {
            return TypedResults.Text("limit must be a whole number of alerts, at least 1\n", statusCode: StatusCodes.Status400BadRequest);
        }

        return TypedResults.Json(log.Recent(Math.Min(limit, capacity)), AlertLogJsonContext.Default.IReadOnlyListAlertNotification);
    }
}
