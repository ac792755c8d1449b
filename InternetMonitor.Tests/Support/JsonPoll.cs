using System.Text.Json;

namespace InternetMonitor.Tests.Support;

/// <summary>Polls an HTTP API of the stack (Prometheus, Alertmanager, the probe) until its JSON says what a test waits for.</summary>
public static class JsonPoll
{
    /// <summary>The jobs whose target is up in the answer to Prometheus' <c>up</c> query, in order.</summary>
    public static List<string> UpJobs(JsonDocument json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return [.. json.RootElement.GetProperty("data").GetProperty("result").EnumerateArray()
            .Where(result => result.GetProperty("value")[1].GetString() == "1")
            .Select(result => result.GetProperty("metric").GetProperty("job").GetString()!)
            .Order(StringComparer.Ordinal)];
    }

    /// <summary>
    /// GETs <paramref name="url"/> every 500 ms until its JSON satisfies <paramref name="done"/>. Fails, with the last
    /// answer and <paramref name="diagnostics"/>, after <paramref name="within"/> or when <paramref name="deadline"/> (the
    /// test's, or a shorter one of its own) is cancelled; at once when <paramref name="gaveUp"/> names a reason (the
    /// program under test exited).
    /// </summary>
    public static async Task<JsonDocument> UntilAsync(HttpClient client, Uri url, Func<JsonDocument, bool> done, TimeSpan within,
        Func<Task<string>> diagnostics, Func<string?>? gaveUp, CancellationToken deadline)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(done);
        ArgumentNullException.ThrowIfNull(diagnostics);
        var until = DateTime.UtcNow + within;
        var last = string.Empty;
        while (true)
        {
            if (gaveUp?.Invoke() is { } reason)
            {
                Assert.Fail(reason);
            }

            if (deadline.IsCancellationRequested)
            {
                Assert.Fail($"{url} never met the condition before the test's deadline; last answer: {last}\n{await diagnostics()}");
            }

            try
            {
                last = await client.GetStringAsync(url, deadline);
                var json = JsonDocument.Parse(last);
                if (done(json))
                {
                    return json;
                }

                json.Dispose();
            }
            catch (HttpRequestException)
            {
                // not answering yet
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested)
            {
                continue; // said above
            }

            Assert.True(DateTime.UtcNow < until, $"{url} not as expected within {within.TotalMinutes:0} minutes; last answer: {last}\n{await diagnostics()}");
            await Task.Delay(500, TestContext.Current.CancellationToken);
        }
    }
}
