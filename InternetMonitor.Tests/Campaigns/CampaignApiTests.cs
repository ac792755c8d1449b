using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using InternetMonitor.Probe.Probing.SpeedTest.Command;
using InternetMonitor.Tests.Probing.SpeedTest;
using InternetMonitor.Tests.Support;
using Microsoft.Data.Sqlite;

namespace InternetMonitor.Tests.Campaigns;

/// <summary>
/// A campaign on the whole probe, its speed tests against a probe serving them on loopback: started over the API, its
/// first measurement kept with its id, a second refused while it runs, shown and cancelled by the command line. Its days
/// are counted in a fixed-offset zone where it is about noon now, so that the first measurement is due at once whatever
/// the hour the test runs.
/// </summary>
[Trait(Layer.Key, Layer.Integration)]
public sealed class CampaignApiTests
{
    /// <summary>The tz database's fixed zone (Etc/GMT-N is UTC+N) in which it is about noon now.</summary>
    private static string NoonZone()
    {
        var offset = 12 - DateTimeOffset.UtcNow.Hour;
        offset = offset > 14 ? offset - 24 : offset < -12 ? offset + 24 : offset;
        return offset == 0 ? "Etc/UTC" : string.Create(CultureInfo.InvariantCulture, $"Etc/GMT{(offset > 0 ? "-" : "+")}{Math.Abs(offset)}");
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    [Fact]
    public async Task A_campaign_measures_at_once_keeps_its_tests_refuses_a_second_is_taken_up_after_a_restart_and_cancelled_from_the_command_line()
    {
        var cancellation = TestContext.Current.CancellationToken;
        await using var server = await SpeedTestServerTypeTests.StartServingProbeAsync();
        var folder = Directory.CreateTempSubdirectory("im-campaign-").FullName;
        try
        {
            await using var probe = await ProbeHost.StartAsync(
            [
                .. ProbeHost.ScheduledSpeedTestArguments(ProbeHost.BaseAddress(server), Path.Combine(folder, "budget.json")),
                "--Monitor:SpeedTest:Interval=1.00:00:00", // the schedule's one run at start, then none during the test
                $"--Monitor:History:Path={Path.Combine(folder, "history.db")}",
                $"--Monitor:Report:TimeZone={NoonZone()}",
                "--Monitor:Report:Wired=true",
                "--Monitor:Plan:DownloadMbps=100",
            ]);
            var address = ProbeHost.BaseAddress(probe);
            using var http = new HttpClient { BaseAddress = address };

            using var started = await http.PostAsync(new Uri("/api/campaigns", UriKind.Relative), Json("""{"rules":"bnetza"}"""), cancellation);
            var startedBody = await started.Content.ReadAsStringAsync(cancellation);
            Assert.True(started.StatusCode == HttpStatusCode.Created, startedBody);
            Assert.Equal("/api/campaigns/current", started.Headers.Location!.OriginalString);
            using var start = JsonDocument.Parse(startedBody);
            var id = start.RootElement.GetProperty("id").GetString()!;
            Assert.StartsWith("bnetza-", id, StringComparison.Ordinal);
            Assert.Equal(("running", 1, 30, true), (start.RootElement.GetProperty("state").GetString(), start.RootElement.GetProperty("day").GetInt32(), start.RootElement.GetProperty("required").GetInt32(), start.RootElement.GetProperty("wired").GetBoolean()));

            using var second = await http.PostAsync(new Uri("/api/campaigns", UriKind.Relative), Json("{}"), cancellation);
            Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
            Assert.StartsWith($"a campaign is running ({id}, since ", await second.Content.ReadAsStringAsync(cancellation), StringComparison.Ordinal);

            // The first measurement is due at once; it is kept with the campaign's id.
            var deadline = DateTime.UtcNow.AddSeconds(90);
            JsonElement current;
            while (true)
            {
                using var document = JsonDocument.Parse(await http.GetStringAsync(new Uri("/api/campaigns/current", UriKind.Relative), cancellation));
                current = document.RootElement.Clone();
                if (current.GetProperty("measured").GetInt32() >= 1 || DateTime.UtcNow > deadline)
                {
                    break;
                }

                await Task.Delay(200, cancellation);
            }

            Assert.Equal(1, current.GetProperty("measured").GetInt32());
            Assert.True(current.GetProperty("next").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(5)); // the next one spaced after it
            using var tests = JsonDocument.Parse(await http.GetStringAsync(new Uri($"/api/history/speedtests?from={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(-1).ToString("O", CultureInfo.InvariantCulture))}", UriKind.Relative), cancellation));
            Assert.Equal(1, tests.RootElement.EnumerateArray().Count(test => test.GetProperty("campaign").GetString() == id));
            Assert.Contains(tests.RootElement.EnumerateArray(), test => test.GetProperty("campaign").ValueKind == JsonValueKind.Null); // the schedule's own

            // The command line shows it and cancels it.
            var (code, output, error) = await Command(["campaign", "--status", "--probe", address.ToString()]);
            await probe.StopAsync(cancellation);
            await using var restarted = await ProbeHost.StartAsync(
            [
                .. ProbeHost.ScheduledSpeedTestArguments(ProbeHost.BaseAddress(server), Path.Combine(folder, "budget.json")),
                "--Monitor:SpeedTest:StartJitter=1.00:00:00", // no scheduled run in this second life
                "--Monitor:SpeedTest:Interval=1.00:00:00",
                $"--Monitor:History:Path={Path.Combine(folder, "history.db")}",
                $"--Monitor:Report:TimeZone={NoonZone()}",
            ]);
            address = ProbeHost.BaseAddress(restarted);
            using var again = new HttpClient { BaseAddress = address };
            using var resumed = JsonDocument.Parse(await again.GetStringAsync(new Uri("/api/campaigns/current", UriKind.Relative), cancellation));
            Assert.Equal((id, 1, true), (resumed.RootElement.GetProperty("id").GetString(), resumed.RootElement.GetProperty("measured").GetInt32(), resumed.RootElement.GetProperty("wired").GetBoolean())); // taken up again, as it started
            Assert.Equal(current.GetProperty("next").GetDateTimeOffset(), resumed.RootElement.GetProperty("next").GetDateTimeOffset()); // the same plan
            Assert.True(code == 0, error);
            Assert.Contains($"Campaign {id} running (Bundesnetzagentur (Germany)): 30 speed tests, 10 a day on 3 days by ", output, StringComparison.Ordinal);
            Assert.Contains("Day 1 of 3; 1 of 30 measured; next at ", output, StringComparison.Ordinal);
            (code, output, error) = await Command(["campaign", "--cancel", "--probe", address.ToString()]);
            Assert.True(code == 0, error);
            Assert.Contains($"Campaign {id} cancelled", output, StringComparison.Ordinal);

            using var none = await again.GetAsync(new Uri("/api/campaigns/current", UriKind.Relative), cancellation);
            Assert.Equal(HttpStatusCode.NotFound, none.StatusCode);
            (code, _, error) = await Command(["campaign", "--status", "--probe", address.ToString()]);
            Assert.Equal((1, "speedtest campaign: no campaign is running; start one with POST /api/campaigns"), (code, error.Trim()));
            using var all = JsonDocument.Parse(await again.GetStringAsync(new Uri("/api/campaigns", UriKind.Relative), cancellation));
            var kept = Assert.Single(all.RootElement.EnumerateArray());
            Assert.Equal((id, "cancelled", 1, "incomplete"), (kept.GetProperty("id").GetString(), kept.GetProperty("state").GetString(), kept.GetProperty("measured").GetInt32(), kept.GetProperty("verdict").GetProperty("outcome").GetString()));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task A_campaign_the_budget_cannot_hold_and_unknown_rules_are_refused_before_anything_runs()
    {
        var cancellation = TestContext.Current.CancellationToken;
        await using var probe = await ProbeHost.StartAsync(
            "--Monitor:SpeedTest:Enabled=true",
            "--Monitor:SpeedTest:Server=http://127.0.0.1:9/",
            "--Monitor:SpeedTest:StartJitter=01:00:00",
            "--Monitor:SpeedTest:MaxBytes=100000000",
            "--Monitor:SpeedTest:Budget:Monthly=1000000000");
        using var http = new HttpClient { BaseAddress = ProbeHost.BaseAddress(probe) };

        using var refused = await http.PostAsync(new Uri("/api/campaigns", UriKind.Relative), Json("{}"), cancellation);
        using var unknown = await http.PostAsync(new Uri("/api/campaigns", UriKind.Relative), Json("""{"rules":"ofcom-2030"}"""), cancellation);
        using var malformed = await http.PostAsync(new Uri("/api/campaigns", UriKind.Relative), Json("""{"rules":"""), cancellation);
        using var form = await http.PostAsync(new Uri("/api/campaigns", UriKind.Relative), new StringContent("{}", Encoding.UTF8, "text/plain"), cancellation);

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal(
            "the campaign does not fit in the data budget: the campaign's 30 speed tests of about 100.0 MB each (Monitor:SpeedTest:MaxBytes, with no speed test to estimate from) need 3.00 GB, and Monitor:SpeedTest:Budget:Monthly has 1.00 GB left this month; raise it, lower Monitor:SpeedTest:MaxBytes, or start the campaign in the next billing month\n",
            await refused.Content.ReadAsStringAsync(cancellation));
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Equal("rules must be one of: bnetza (got \"ofcom-2030\")\n", await unknown.Content.ReadAsStringAsync(cancellation));
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, form.StatusCode); // not a program's JSON: a web page could have sent it
        using var list = JsonDocument.Parse(await http.GetStringAsync(new Uri("/api/campaigns", UriKind.Relative), cancellation));
        Assert.Empty(list.RootElement.EnumerateArray());
    }

    private static async Task<(int Code, string Output, string Error)> Command(string[] arguments)
    {
        using var output = new StringWriter(CultureInfo.InvariantCulture);
        using var error = new StringWriter(CultureInfo.InvariantCulture);
        var code = await SpeedTestCommand.RunAsync(arguments, output, error, new SpeedTestCommand.Terminals(false, false), TestContext.Current.CancellationToken);
        return (code, output.ToString(), error.ToString());
    }
}
