using System.Globalization;
using System.Text.Json;
using InternetMonitor.Probe.History;
using InternetMonitor.Probe.Hosting;
using InternetMonitor.Probe.Recording;
using Microsoft.AspNetCore.Http.Features;
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
        app.MapPost(Path, async context => await (await ReceiveAsync(context)).ExecuteAsync(context));
        app.MapGet(Path, context => List(context).ExecuteAsync(context));
        return app;
    }

    private static async Task<IResult> ReceiveAsync(HttpContext context)
    {
        var services = context.RequestServices;
        var options = services.GetRequiredService<IOptions<AlertLogOptions>>().Value;
        var metrics = services.GetRequiredService<AlertLogMetrics>();
        if (!RequestToken.AcceptsChange(context, options.Token))
        {
            metrics.Rejected(AlertLogMetrics.Unauthorized);
            return Results.Text((options.Token.Length > 0 ? RequestToken.Hint : RequestToken.LocalOnlyHint + " (Monitor:AlertLog:Token)") + "\n", statusCode: StatusCodes.Status401Unauthorized);
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
            return Results.Text($"not an Alertmanager webhook notification: {ClientText.Clean(exception.Message, 300)}\n", statusCode: StatusCodes.Status400BadRequest);
        }
        catch (BadHttpRequestException exception) when (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            metrics.Rejected(AlertLogMetrics.TooLarge);
            return Results.Text($"at most {MaxBodyBytes} bytes per notification\n", statusCode: StatusCodes.Status413PayloadTooLarge);
        }

        var time = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var (alerts, problem) = webhook is null ? ([], "the body is empty") : AlertNotification.From(webhook, time);
        if (problem is not null)
        {
            metrics.Rejected(AlertLogMetrics.Invalid);
            return Results.Text($"not an Alertmanager webhook notification: {problem}\n", statusCode: StatusCodes.Status400BadRequest);
        }

        // Alertmanager repeats every alert of a group in each notification of it: only what is new is kept.
        var kept = await services.GetRequiredService<AlertIntake>().ReceiveAsync(alerts, context.RequestAborted);

        // Answered 200 only once the history holds them (a repeat included: its first delivery may still wait). Otherwise
        // 503, and Alertmanager sends the notification again: nothing it was told was kept is lost if the probe then stops.
        var history = services.GetRequiredService<HistoryWriter>();
        if (!await history.FlushAsync(HistoryWait))
        {
            var status = history.Status;
            metrics.Rejected(AlertLogMetrics.NotKept);
            return Results.Text(
                $"{alerts.Count} alerts received but not yet kept: the history database cannot be written ({status.Reason ?? "slow"}); send them again\n",
                statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        return Results.Text(string.Create(CultureInfo.InvariantCulture, $"{alerts.Count} alerts received, {kept} new\n"));
    }

    private static IResult List(HttpContext context)
    {
        var log = context.RequestServices.GetRequiredService<AlertLog>();
        var capacity = context.RequestServices.GetRequiredService<IOptions<AlertLogOptions>>().Value.Capacity;
        var query = context.Request.Query["limit"].ToString();
        var limit = DefaultLimit;
        if (query.Length > 0 && (!int.TryParse(query, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1))
        {
            return Results.Text("limit must be a whole number of alerts, at least 1\n", statusCode: StatusCodes.Status400BadRequest);
        }

        return Results.Json(log.Recent(Math.Min(limit, capacity)), AlertLogJsonContext.Default.IReadOnlyListAlertNotification);
    }
}
