using InternetMonitor.Probe.Logging;
using InternetMonitor.Probe.Probing.Http;
using InternetMonitor.Tests.Support;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace InternetMonitor.Tests.Probing.Http;

/// <summary>What the HTTP recorder writes while a URL fails and when it answers again.</summary>
[Trait(Layer.Key, Layer.Unit)]
public sealed class HttpLogRecorderTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 4, 14, 2, 0, TimeSpan.Zero);
    private static readonly HttpTarget Target = new("cloudflare", new Uri("https://www.cloudflare.com/cdn-cgi/trace"), false, []);

    private readonly FakeTimeProvider _clock = new(T0);
    private readonly FakeLogger<HttpLogRecorder> _logger = new();
    private readonly HttpLogRecorder _recorder;

    public HttpLogRecorderTests() => _recorder = new HttpLogRecorder(_logger, _clock, Options.Create(new LoggingOptions { RepeatEvery = TimeSpan.FromMinutes(10) }));

    [Fact]
    public void Half_an_hour_of_failures_then_an_answer_is_a_warning_two_reminders_and_one_recovery()
    {
        for (var minute = 0; minute < 30; minute++)
        {
            _recorder.Record(Failed(minute < 15 ? "timeout" : "tls"));
            _clock.Advance(TimeSpan.FromMinutes(1));
        }

        _recorder.Record(new HttpResult(Target, _clock.GetUtcNow(), new Dictionary<HttpPhase, TimeSpan> { [HttpPhase.Connect] = TimeSpan.FromMilliseconds(3) }, TimeSpan.FromMilliseconds(40), 200, 10, null, Version: "2"));

        var records = _logger.Collector.GetSnapshot();
        Assert.Equal(31, records.Count(record => record.Level == LogLevel.Debug));
        Assert.Equal(
            [
                "HTTP cloudflare failing: timeout in the connect phase: no answer",
                "HTTP cloudflare still failing after 10 min: 11 attempt(s) failed since 2026-12-04T14:02:00.0000000+00:00, the last timeout in the connect phase: no answer",
                "HTTP cloudflare still failing after 20 min: 21 attempt(s) failed since 2026-12-04T14:02:00.0000000+00:00, the last tls in the connect phase: no answer; the reason was timeout before",
                "HTTP cloudflare answers again (status 200) after 30 min: 30 attempt(s) failed since 2026-12-04T14:02:00.0000000+00:00, the last tls",
            ],
            records.Where(record => record.Level > LogLevel.Debug).Select(record => record.Message));
        Assert.Contains(records, record => record.Message == "HTTP cloudflare: status 200 over HTTP/2 in 40.000 ms (connect 3.000 ms)");
    }

    private HttpResult Failed(string reason) =>
        new(Target, _clock.GetUtcNow(), new Dictionary<HttpPhase, TimeSpan>(), TimeSpan.FromSeconds(10), null, 0, reason, HttpPhase.Connect, "no answer");
}
