using InternetMonitor.Probe.Logging;
using InternetMonitor.Probe.Probing.Dns;
using InternetMonitor.Tests.Support;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace InternetMonitor.Tests.Probing.Dns;

/// <summary>What the DNS recorder writes for an hour of failures at the defaults: lines on change, every query at Debug.</summary>
[Trait(Layer.Key, Layer.Unit)]
public sealed class DnsLogRecorderTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 4, 14, 2, 0, TimeSpan.Zero);
    private static readonly string[] Servers = ["system", "cloudflare", "google", "quad9"];
    private static readonly string[] Names = ["example.com", "cloudflare.com", "google.com"];

    private readonly FakeTimeProvider _clock = new(T0);
    private readonly FakeLogger<DnsLogRecorder> _logger = new();
    private readonly DnsLogRecorder _recorder;

    public DnsLogRecorderTests() => _recorder = new DnsLogRecorder(_logger, _clock, Options.Create(new LoggingOptions()));

    [Fact]
    public void An_hour_without_answers_is_one_warning_per_query_and_a_reminder_each_quarter_hour_not_one_per_attempt()
    {
        Rounds(120, DnsFailureReason.Timeout); // 12 queries every 30 s for an hour

        var records = _logger.Collector.GetSnapshot();
        Assert.Equal(12 * 120, records.Count(record => record.Level == LogLevel.Debug));
        var warnings = records.Where(record => record.Level == LogLevel.Warning).ToList();
        Assert.Equal(12 * 4, warnings.Count); // the first at 0, reminders at 15, 30 and 45 min
        Assert.Equal(12, warnings.Count(record => record.Message.EndsWith(" failing: timeout (no response)", StringComparison.Ordinal)));
        Assert.Contains(warnings, record => record.Message.StartsWith("DNS example.com via quad9 still failing after 45 min: 91 attempt(s) failed since 2026-12-04T14:02:00.0000000+00:00, the last timeout", StringComparison.Ordinal));
    }

    [Fact]
    public void The_first_answer_after_failures_is_one_information_line_with_the_duration_and_attempts()
    {
        Rounds(10, DnsFailureReason.Timeout);
        Rounds(10, null);

        var information = _logger.Collector.GetSnapshot().Where(record => record.Level == LogLevel.Information).ToList();
        Assert.Equal(12, information.Count);
        Assert.Contains(information, record => record.Message == "DNS google.com via system resolves again after 5 min: 10 attempt(s) failed since 2026-12-04T14:02:00.0000000+00:00, the last timeout");
    }

    [Fact]
    public void Each_answer_is_at_Debug_in_the_form_the_bench_reads()
    {
        Rounds(1, null);

        var record = _logger.Collector.GetSnapshot().First();
        Assert.Equal(LogLevel.Debug, record.Level);
        Assert.Equal("DNS example.com via system: 1 answer(s) in 12.500 ms", record.Message);
    }

    private void Rounds(int rounds, string? reason)
    {
        for (var round = 0; round < rounds; round++)
        {
            foreach (var server in Servers)
            {
                foreach (var name in Names)
                {
                    var query = new DnsQuery(server, null, name, DnsRecordType.A);
                    _recorder.Record(reason is null
                        ? new DnsResult(query, _clock.GetUtcNow(), TimeSpan.FromMilliseconds(12.5), "NOERROR", 1, null)
                        : new DnsResult(query, _clock.GetUtcNow(), TimeSpan.FromSeconds(2), null, 0, reason, "no response"));
                }
            }

            _clock.Advance(TimeSpan.FromSeconds(30));
        }
    }
}
