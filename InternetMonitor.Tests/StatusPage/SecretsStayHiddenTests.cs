using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using InternetMonitor.Tests.Support;
using Microsoft.Extensions.Logging;

namespace InternetMonitor.Tests.StatusPage;

/// <summary>
/// A probe with every token set: none of them is in its pages, its API's answers (refusals included), /metrics,
/// /health or any log line, while the endpoints that change something accept the right token and refuse a wrong one.
/// </summary>
[Trait(Layer.Key, Layer.Unit)]
public sealed class SecretsStayHiddenTests
{
    private const string AlertToken = "alert-secret-7f3a";
    private const string RunToken = "run-secret-91cd";
    private const string ServerToken = "server-secret-5e20";

    [Fact]
    public async Task No_token_reaches_a_page_an_answer_metrics_or_a_log_line()
    {
        var lines = new ConcurrentQueue<string>();
        var folder = Directory.CreateTempSubdirectory("im-secrets-").FullName;
        try
        {
            await using var probe = await ProbeHost.StartAsync(
                builder => builder.Logging.AddProvider(new CapturingLoggerProvider(lines)),
                $"--Monitor:AlertLog:Token={AlertToken}",
                $"--Monitor:SpeedTest:RunToken={RunToken}",
                "--Monitor:SpeedTestServer:Enabled=true",
                $"--Monitor:SpeedTestServer:Token={ServerToken}",
                $"--Monitor:History:Path={Path.Combine(folder, "history.db")}");
            using var http = new HttpClient { BaseAddress = ProbeHost.BaseAddress(probe) };
            var seen = new StringBuilder();

            // The endpoints that change something: a wrong token is refused, the right one accepted.
            using (var wrong = await PostAsync(http, "/api/alerts", "wrong-token", Alert))
            {
                Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
                seen.Append(await wrong.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
            }

            using (var right = await PostAsync(http, "/api/alerts", AlertToken, Alert))
            {
                Assert.Equal(HttpStatusCode.OK, right.StatusCode);
                seen.Append(await right.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
            }

            using (var refused = await PostAsync(http, "/api/speedtests/run", "wrong-token", null))
            {
                Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
                seen.Append(await refused.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
            }

            using (var off = await PostAsync(http, "/api/speedtests/run", RunToken, null))
            {
                Assert.Equal(HttpStatusCode.Conflict, off.StatusCode); // accepted, and the speed test is off in these tests
                seen.Append(await off.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
            }

            foreach (var path in new[] { "/", "/api/status", "/openapi/v1.json", "/metrics", "/health", "/api/alerts", "/api/history/alerts", "/api/history/alerts?format=csv" })
            {
                using var response = await http.GetAsync(new Uri(path, UriKind.Relative), TestContext.Current.CancellationToken);
                Assert.True(response.IsSuccessStatusCode, $"{path}: {response.StatusCode}");
                seen.Append(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
            }

            Assert.Contains("SecretsCheck", seen.ToString(), StringComparison.Ordinal); // the alert went through and is listed
            Assert.NotEmpty(lines);
            foreach (var secret in new[] { AlertToken, RunToken, ServerToken })
            {
                Assert.DoesNotContain(secret, seen.ToString(), StringComparison.Ordinal);
                Assert.DoesNotContain(lines, line => line.Contains(secret, StringComparison.Ordinal));
            }

            await probe.StopAsync(TestContext.Current.CancellationToken);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    private const string Alert = """{"status":"firing","alerts":[{"labels":{"alertname":"SecretsCheck"},"startsAt":"2026-11-25T10:00:00Z","fingerprint":"s1"}]}""";

    private static async Task<HttpResponseMessage> PostAsync(HttpClient http, string path, string token, string? json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Content = new StringContent(json ?? "{}", Encoding.UTF8, "application/json");

        return await http.SendAsync(request, TestContext.Current.CancellationToken);
    }
}
