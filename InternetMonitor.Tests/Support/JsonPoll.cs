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
        var last = string.Empty;
        JsonDocument? previous = null;
        return (await Poll.UntilAsync(
            async () =>
            {
                previous?.Dispose(); // an answer that did not do
                try
                {
                    last = await client.GetStringAsync(url, deadline);
                    return previous = JsonDocument.Parse(last);
                }
                catch (HttpRequestException)
                {
                    return previous = null; // not answering yet
                }
                catch (OperationCanceledException) when (deadline.IsCancellationRequested)
                {
                    return previous = null; // said by gaveUp below
                }
            },
            json => json is not null && done(json),
            $"{url} as expected",
            within,
            TimeSpan.FromMilliseconds(500),
            () => gaveUp?.Invoke() ?? (deadline.IsCancellationRequested ? "the test's deadline passed" : null),
            async _ => $"last answer: {last}\n{await diagnostics()}"))!;
    }
}
