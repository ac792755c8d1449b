using System.Collections.Concurrent;
using InternetMonitor.Probe.Recording;
using InternetMonitor.Probe.Scheduling;
using Microsoft.Extensions.Options;
using Prometheus;

namespace InternetMonitor.Probe.Probing.Icmp;

/// <summary>
/// Writes every echo to the ICMP metrics. The old project's names keep their meaning, with a <c>target</c>
/// label added; a lost packet counts as one whole packet and never observes an RTT. The RTT metrics are made at the
/// first echo, once the channels are open, so that their help can say how this process stamps its packets. The
/// latency summary is <see cref="PingLatencySummary"/>, written from each target's <see cref="PingStatistics"/>.
/// </summary>
public sealed class PingMetricsRecorder : IRecorder<PingResult>, IRecorder<LateReply>
{
    private readonly IcmpOptions _options;
    private readonly JobMetrics _jobs;
    private readonly IMetricFactory _factory;
    private readonly OpenIcmpChannels _channels;
    private readonly PingLatencySummary _latency;
    private readonly Lock _timingLock = new();
    private readonly ConcurrentDictionary<string, Series> _series = new(StringComparer.Ordinal);
    private readonly Counter _pings;
    private readonly Counter _failures;
    private readonly Counter _lost;
    private readonly Counter _sent;
    private readonly Counter _received;
    private readonly Counter _late;
    private Histogram? _rtt;
    private readonly Gauge _jitter;
    private readonly Gauge _lossRatio;
    private readonly Gauge _targetInfo;

    public PingMetricsRecorder(IMetricFactory factory, IOptions<IcmpOptions> options, JobMetrics jobs, OpenIcmpChannels channels, PingLatencySummary latency)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _jobs = jobs;
        _factory = factory;
        _channels = channels;
        _latency = latency;
        string[] target = ["target"];
        _pings = factory.CreateCounter("internet_monitor_ping_total", "Echo requests sent (kept from the old project; equal to packets sent).", target);
        _failures = factory.CreateCounter("internet_monitor_ping_failures_total", "Echo requests that got no reply, by reason.", ["target", "reason"]);
        _lost = factory.CreateCounter("internet_monitor_ping_packet_loss_total", "Lost packets, as whole packets (the old project summed fractions).", target);
        _sent = factory.CreateCounter("internet_monitor_ping_packets_sent_total", "Echo requests sent.", target);
        _received = factory.CreateCounter("internet_monitor_ping_packets_received_total", "Echo replies received within the timeout.", target);
        _late = factory.CreateCounter("internet_monitor_ping_late_replies_total", "Replies that arrived after the timeout; their echo was already counted lost.", target);
        _jitter = factory.CreateGauge("internet_monitor_ping_jitter_seconds", "RTT jitter: RFC 3550 estimator over consecutive replies.", target);
        _lossRatio = factory.CreateGauge("internet_monitor_ping_loss_ratio", "Share of echoes sent in the statistics window that were lost (0..1).", target);
        _targetInfo = factory.CreateGauge("internet_monitor_target_info", "Always 1: each ICMP target's address and role (public or gateway).", ["target", "address", "role"]);
    }

    public void Record(PingResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var series = _series.GetOrAdd(result.Target.Name, _ => Describe(result));
        series.Pings.Inc();
        series.Sent.Inc();
        if (result.RoundTripTime is { } rtt)
        {
            series.Received.Inc();
            series.Rtt.Observe(rtt.TotalSeconds);
            _jobs.Succeeded("icmp", result.SentAt + rtt);
        }
        else
        {
            series.Lost.Inc();
            _failures.WithLabels(result.Target.Name, result.Outcome.Reason()).Inc();
        }

        var statistics = series.Statistics;
        lock (statistics)
        {
            statistics.Add(result);
            if (statistics.Jitter is { } jitter)
            {
                _jitter.WithLabels(result.Target.Name).Set(jitter);
            }

            series.LossRatio.Set(statistics.LossRatio ?? 0);
        }
    }

    public void Record(LateReply result)
    {
        ArgumentNullException.ThrowIfNull(result);
        _late.WithLabels(result.Target.Name).Inc();
    }

    private Series Describe(PingResult first)
    {
        var target = first.Target;
        _targetInfo.WithLabels(target.Name, target.Address.ToString(), target.Role.ToString().ToLowerInvariant()).Set(1);

        // Present from the first scrape, so rate() and the loss ratio have a zero to start from, and the old
        // names exist even for a target that has never answered. Jitter stays absent until it is defined.
        _late.WithLabels(target.Name);
        var statistics = new PingStatistics(_options.StatisticsWindow);
        _latency.Track(target.Name, statistics);
        return new Series(
            statistics,
            _pings.WithLabels(target.Name),
            _sent.WithLabels(target.Name),
            _received.WithLabels(target.Name),
            _lost.WithLabels(target.Name),
            Rtt().WithLabels(target.Name),
            _lossRatio.WithLabels(target.Name));
    }

    /// <summary>The RTT histogram, made at the first target's first echo (see the class summary); called once a target.</summary>
    private Histogram Rtt()
    {
        lock (_timingLock)
        {
            // 50 us doubling to about 26 s, as smokeping_prober: wide enough for loopback and a satellite link.
            return _rtt ??= _factory.CreateHistogram("internet_monitor_ping_rtt_seconds", $"Round-trip time of each echo reply, {Stamps(_channels.All)}.", ["target"], new HistogramConfiguration
            {
                Buckets = Histogram.ExponentialBuckets(0.00005, 2, 20),
            });
        }
    }

    /// <summary>How this process's RTTs are stamped, per family when the families differ.</summary>
    internal static string Stamps(IReadOnlyList<IcmpChannelInfo> channels)
    {
        var kinds = channels.Select(channel => channel.Timestamps).Distinct().ToList();
        return kinds.Count switch
        {
            0 => "as the ICMP channels stamp them",
            1 => channels[0].DescribeTimestamps(),
            _ => string.Join("; ", channels.Select(channel => $"{channel.FamilyName} {channel.DescribeTimestamps()}")),
        };
    }

    /// <summary>A target's statistics and series, looked up once: at a thousand echoes a second, each label lookup counts.</summary>
    private sealed record Series(
        PingStatistics Statistics,
        Counter.Child Pings,
        Counter.Child Sent,
        Counter.Child Received,
        Counter.Child Lost,
        Histogram.Child Rtt,
        Gauge.Child LossRatio);
}
