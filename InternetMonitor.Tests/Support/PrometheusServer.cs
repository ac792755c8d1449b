using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace InternetMonitor.Tests.Support;

/// <summary>
/// The real Prometheus (Debian's package) on a free loopback port, scraping one target every second, with a
/// throw-away data folder. Stopped by process id; its folder is deleted.
/// </summary>
public sealed class PrometheusServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _folder;
    private readonly HttpClient _client;

    private PrometheusServer(Process process, string folder, Uri address, AuthenticationHeaderValue? authorization)
    {
        _process = process;
        _folder = folder;
        _client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(10) };
        _client.DefaultRequestHeaders.Authorization = authorization;
    }

    public static Task<PrometheusServer> StartAsync(string job, string target) =>
        StartAsync(new Dictionary<string, string> { [job] = target });

    /// <summary>Scraping each job's one target every second and evaluating <paramref name="ruleFiles"/> every second.</summary>
    public static async Task<PrometheusServer> StartAsync(IReadOnlyDictionary<string, string> jobs, IReadOnlyList<string>? ruleFiles = null)
    {
        var folder = Directory.CreateTempSubdirectory("im-prometheus-").FullName;
        var config = Path.Combine(folder, "prometheus.yml");
        var text = new StringBuilder("global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nrule_files:\n");
        foreach (var file in ruleFiles ?? [])
        {
            text.Append(CultureInfo.InvariantCulture, $"  - '{file}'\n");
        }

        text.Append("scrape_configs:\n");
        foreach (var (job, target) in jobs)
        {
            text.Append(CultureInfo.InvariantCulture, $"  - job_name: {job}\n    static_configs:\n      - targets: ['{target}']\n");
        }

        await File.WriteAllTextAsync(config, text.ToString());
        return await StartWithConfigAsync(config, folder);
    }

    /// <summary>
    /// Prometheus with a configuration of the caller's (the shipped one, its targets pointed at loopback), its data in
    /// <paramref name="folder"/>, which it owns from now on and deletes when stopped; <paramref name="arguments"/> besides
    /// its own, and the <paramref name="authorization"/> its web configuration asks for, sent with every request.
    /// </summary>
    public static async Task<PrometheusServer> StartWithConfigAsync(string config, string folder, IReadOnlyList<string>? arguments = null, AuthenticationHeaderValue? authorization = null)
    {
        var prometheus = Prerequisite.RequireProgram("prometheus", "prometheus");
        for (var attempt = 1; ; attempt++)
        {
            var port = LoopbackPort.FreeTcp();
            var info = new ProcessStartInfo(prometheus) { RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var argument in (string[])[$"--config.file={config}", $"--storage.tsdb.path={Path.Combine(folder, "data")}",
                         $"--web.listen-address=127.0.0.1:{port}", "--log.level=warn", .. arguments ?? []])
            {
                info.ArgumentList.Add(argument);
            }

            var process = Process.Start(info)!;
            var stderr = process.StandardError.ReadToEndAsync();
            _ = process.StandardOutput.ReadToEndAsync();
            var server = new PrometheusServer(process, folder, new Uri($"http://127.0.0.1:{port}/"), authorization);
            if (await server.ReadyAsync())
            {
                return server;
            }

            await server.StopAsync();
            Assert.True(attempt < 3, $"prometheus did not start: {await stderr}");
        }
    }

    /// <summary>GET of an API path (for example <c>api/v1/rules</c>), parsed.</summary>
    public Task<JsonDocument> GetAsync(string path) => Api.GetAsync(path);

    /// <summary>The address Prometheus listens on (a scrape target for itself).</summary>
    public Uri Url => _client.BaseAddress!;

    /// <summary>An instant query; each result as its labels and value.</summary>
    public Task<IReadOnlyList<(IReadOnlyDictionary<string, string> Labels, double Value)>> QueryAsync(string expression) => Api.QueryAsync(expression);

    /// <summary>Polls a query until <paramref name="condition"/> holds for its results.</summary>
    public Task<IReadOnlyList<(IReadOnlyDictionary<string, string> Labels, double Value)>> WaitForAsync(
        string expression, Func<IReadOnlyList<(IReadOnlyDictionary<string, string> Labels, double Value)>, bool> condition) =>
        Api.WaitForAsync(expression, condition);

    private PrometheusApi Api => new(_client);

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private async Task StopAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        _client.Dispose();
    }

    private Task<bool> ReadyAsync() =>
        Poll.HoldsAsync(
            async () =>
            {
                try
                {
                    using var response = await _client.GetAsync(new Uri("-/ready", UriKind.Relative));
                    return response.StatusCode == HttpStatusCode.OK;
                }
                catch (HttpRequestException)
                {
                    return false; // not listening yet
                }
            },
            TimeSpan.FromSeconds(30),
            TimeSpan.FromMilliseconds(200),
            () => _process.HasExited ? "it exited" : null);
}
