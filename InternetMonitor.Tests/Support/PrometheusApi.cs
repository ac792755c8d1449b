using System.Globalization;
using System.Text.Json;

namespace InternetMonitor.Tests.Support;

/// <summary>Prometheus' HTTP API, as Prometheus and VictoriaMetrics both serve it, over the caller's client.</summary>
public sealed class PrometheusApi(HttpClient client)
{
    /// <summary>GET of an API path (for example <c>api/v1/rules</c>), parsed.</summary>
    public async Task<JsonDocument> GetAsync(string path) =>
        JsonDocument.Parse(await client.GetStringAsync(new Uri(path, UriKind.Relative)));

    /// <summary>An instant query; each result as its labels and value.</summary>
    public async Task<IReadOnlyList<(IReadOnlyDictionary<string, string> Labels, double Value)>> QueryAsync(string expression)
    {
        var json = await client.GetStringAsync(new Uri($"api/v1/query?query={Uri.EscapeDataString(expression)}", UriKind.Relative));
        using var document = JsonDocument.Parse(json);
        var data = document.RootElement.GetProperty("data");
        return data.GetProperty("result").EnumerateArray().Select(result =>
        (
            (IReadOnlyDictionary<string, string>)result.GetProperty("metric").EnumerateObject().ToDictionary(label => label.Name, label => label.Value.GetString()!),
            double.Parse(result.GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture)
        )).ToList();
    }

    /// <summary>The raw samples' times of <paramref name="selector"/> over the last <paramref name="window"/>, one list per series.</summary>
    public async Task<IReadOnlyList<(IReadOnlyDictionary<string, string> Labels, IReadOnlyList<double> Times)>> SampleTimesAsync(string selector, TimeSpan window)
    {
        var range = $"{selector}[{(long)Math.Ceiling(window.TotalSeconds)}s]";
        var json = await client.GetStringAsync(new Uri($"api/v1/query?query={Uri.EscapeDataString(range)}", UriKind.Relative));
        using var document = JsonDocument.Parse(json);
        return document.RootElement.GetProperty("data").GetProperty("result").EnumerateArray().Select(result =>
        (
            (IReadOnlyDictionary<string, string>)result.GetProperty("metric").EnumerateObject().ToDictionary(label => label.Name, label => label.Value.GetString()!),
            (IReadOnlyList<double>)result.GetProperty("values").EnumerateArray().Select(sample => sample[0].GetDouble()).ToList()
        )).ToList();
    }

    /// <summary>Polls a query until <paramref name="condition"/> holds for its results, up to <paramref name="within"/> (a minute).</summary>
    public Task<IReadOnlyList<(IReadOnlyDictionary<string, string> Labels, double Value)>> WaitForAsync(
        string expression, Func<IReadOnlyList<(IReadOnlyDictionary<string, string> Labels, double Value)>, bool> condition, TimeSpan? within = null) =>
        Poll.UntilAsync(
            () => QueryAsync(expression),
            condition,
            $"{expression} meeting the condition",
            within ?? TimeSpan.FromSeconds(60),
            TimeSpan.FromMilliseconds(500),
            explain: results => Task.FromResult($"last: {string.Join(", ", results.Select(r => string.Join(",", r.Labels.Select(l => $"{l.Key}={l.Value}")) + " " + r.Value))}"));
}
