using System.CommandLine;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using InternetMonitor.CommandLine;

namespace InternetMonitor.Probe.Campaigns;

/// <summary>
/// <c>speedtest campaign [--rules ID] [--status] [--cancel] [--probe URL] [--token TOKEN] [--json]</c>: starts a
/// measurement campaign on the running probe (or shows or cancels the one under way) through its API, and prints the
/// plan in the campaign's time zone. The probe runs the campaign; this command only asks it.
/// </summary>
public static class CampaignCommand
{
    public const string Name = "campaign";
    public const string DefaultProbe = "http://127.0.0.1:8000";
    public const string Description = "Starts a measurement campaign on the running probe (30 speed tests on 3 days within 14 by the Bundesnetzagentur's rules), shows the one under way (--status) or cancels it (--cancel).";
    public const string ExitCodes = "Exit codes: 0 done, 1 the probe refused or cannot be reached (the reason is printed), 2 bad arguments.";

    internal static Command Create()
    {
        var rules = new Option<string>("--rules") { Description = $"The rules to follow: {string.Join(", ", CampaignRuleBook.All.Keys)}; default {CampaignRuleBook.DefaultRules}", HelpName = "ID" }.GivenLastWins();
        var status = new Option<bool>("--status") { Description = "Show the campaign under way instead of starting one" };
        var cancel = new Option<bool>("--cancel") { Description = "Cancel the campaign under way (its measurements stay in the history)" };
        var probe = new Option<string>("--probe") { Description = $"The probe's address; default {DefaultProbe}", HelpName = "URL" }.GivenLastWins();
        var token = new Option<string>("--token") { Description = "Monitor:SpeedTest:RunToken, when the probe has one", HelpName = "TOKEN" }.GivenLastWins();
        var json = new Option<bool>("--json") { Description = "Print the probe's JSON answer instead of the summary" };
        var command = new Command(Name, Description + " " + ExitCodes);
        foreach (var option in (Option[])[rules, status, cancel, probe, token, json])
        {
            command.Add(option);
        }

        command.Validators.Add(result =>
        {
            if (result.GetValue(status) && result.GetValue(cancel))
            {
                result.AddError("--status and --cancel cannot be given together");
            }

            if (result.GetValue(probe) is { } value && !(Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
            {
                result.AddError($"--probe must be an http or https URL such as {DefaultProbe} (got '{value}')");
            }
        });
        command.SetAction((result, cancellationToken) => RunAsync(
            new Uri(result.GetValue(probe) ?? DefaultProbe),
            result.GetValue(status) ? "status" : result.GetValue(cancel) ? "cancel" : "start",
            result.GetValue(rules) ?? CampaignRuleBook.DefaultRules,
            result.GetValue(token),
            result.GetValue(json),
            result.InvocationConfiguration.Output,
            result.InvocationConfiguration.Error,
            cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(Uri probe, string action, string rules, string? token, bool json, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = probe, Timeout = TimeSpan.FromSeconds(30) };
        if (token is { Length: > 0 })
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        HttpResponseMessage response;
        using var start = Json(JsonSerializer.Serialize(new CampaignRequest(rules), CampaignJsonContext.Default.CampaignRequest));
        using var empty = Json("{}");
        try
        {
            response = action switch
            {
                "status" => await http.GetAsync(new Uri(CampaignEndpoints.Path + "/current", UriKind.Relative), cancellationToken).ConfigureAwait(false),
                "cancel" => await http.PostAsync(new Uri(CampaignEndpoints.Path + "/current/cancel", UriKind.Relative), empty, cancellationToken).ConfigureAwait(false),
                _ => await http.PostAsync(new Uri(CampaignEndpoints.Path, UriKind.Relative), start, cancellationToken).ConfigureAwait(false),
            };
        }
        catch (HttpRequestException exception)
        {
            await error.WriteLineAsync($"speedtest campaign: the probe cannot be reached at {probe} ({exception.Message}); is it running? (--probe URL)").ConfigureAwait(false);
            return 1;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await error.WriteLineAsync($"speedtest campaign: the probe at {probe} did not answer within 30 s").ConfigureAwait(false);
            return 1;
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                await error.WriteLineAsync($"speedtest campaign: {body.Trim()}").ConfigureAwait(false);
                return 1;
            }

            if (json)
            {
                await output.WriteLineAsync(body.Trim()).ConfigureAwait(false);
                return 0;
            }

            CampaignStatus? status;
            try
            {
                status = JsonSerializer.Deserialize(body, CampaignJsonContext.Default.CampaignStatus);
            }
            catch (JsonException exception)
            {
                await error.WriteLineAsync($"speedtest campaign: the probe's answer is not a campaign ({exception.Message})").ConfigureAwait(false);
                return 1;
            }

            if (status is null)
            {
                await error.WriteLineAsync("speedtest campaign: the probe's answer is empty").ConfigureAwait(false);
                return 1;
            }

            await output.WriteAsync(Summary(status, action, probe)).ConfigureAwait(false);
            return 0;
        }
    }

    /// <summary>The campaign in a few lines, times in its own time zone.</summary>
    public static string Summary(CampaignStatus status, string action, Uri probe)
    {
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(probe);
        var zone = CampaignMeasurements.Zone(status.TimeZone);
        string Local(DateTimeOffset time, string format) => TimeZoneInfo.ConvertTime(time, zone).ToString(format, CultureInfo.InvariantCulture);
        var text = new StringBuilder();
        var verb = action switch { "start" => "started", "cancel" => "cancelled", _ => status.State };
        text.Append(CultureInfo.InvariantCulture, $"Campaign {status.Id} {verb} ({status.RulesName}): {status.Required} speed tests, {status.PerDay} a day on {status.Days} days by {status.LastDay:yyyy-MM-dd}, times in {status.TimeZone}.\n");
        text.Append(CultureInfo.InvariantCulture, $"Day {status.Day} of {status.Days}; {status.Measured} of {status.Required} measured");
        text.Append(status.Failed > 0 ? string.Create(CultureInfo.InvariantCulture, $", {status.Failed} tries retried later") : string.Empty);
        text.Append(status.Next is { } next ? $"; next at {Local(next, "yyyy-MM-dd HH:mm")}.\n" : ".\n");
        if (status.Planned.Count > 0)
        {
            text.Append("Planned that day: ").AppendJoin(", ", status.Planned.Select(time => Local(time, "HH:mm"))).Append('\n');
        }

        text.Append(CultureInfo.InvariantCulture, $"Verdict so far: {status.Verdict.Outcome.Replace('_', ' ')}.\n");
        text.Append(CultureInfo.InvariantCulture, $"Progress: {new Uri(probe, CampaignEndpoints.Path + "/current")}; the report: {new Uri(probe, "/report?campaign=" + Uri.EscapeDataString(status.Id))}\n");
        return text.ToString();
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}
