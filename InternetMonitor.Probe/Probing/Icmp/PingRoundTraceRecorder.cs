using System.Diagnostics;
using InternetMonitor.Probe.Recording;
using InternetMonitor.Probe.Targets;
using InternetMonitor.Probe.Telemetry;

namespace InternetMonitor.Probe.Probing.Icmp;

/// <summary>
/// One span per round of the ping job (one echo to every target, <see cref="PingResult.Round"/>), from the first send
/// to the last result's arrival, with the round's figures as attributes and one event per echo. A round whose results
/// never all come (the probe stopped) is still written once rounds 8 later have begun.
/// </summary>
public sealed class PingRoundTraceRecorder(MonitoredTargets targets, TimeProvider timeProvider) : IRecorder<PingResult>
{
    private const string Prefix = ProbeTracing.Prefix + "ping.";
    private const int MaxPendingRounds = 8;
    private readonly Dictionary<long, Round> _rounds = [];
    private readonly Lock _lock = new();

    public void Record(PingResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (!ProbeTracing.Source.HasListeners())
        {
            return;
        }

        var arrived = timeProvider.GetUtcNow();
        List<Round>? complete = null;
        lock (_lock)
        {
            if (!_rounds.TryGetValue(result.Round, out var round))
            {
                _rounds[result.Round] = round = new Round();
            }

            round.Results.Add(result);
            round.LastArrival = arrived;
            foreach (var (number, pending) in _rounds)
            {
                if (pending.Results.Count >= targets.All.Count || number <= result.Round - MaxPendingRounds)
                {
                    (complete ??= []).Add(pending);
                }
            }

            foreach (var done in complete ?? [])
            {
                _rounds.Remove(done.Results[0].Round);
            }
        }

        foreach (var done in complete ?? [])
        {
            Write(done);
        }
    }

    private static void Write(Round round)
    {
        var results = round.Results;

        // A round is a trace of its own, whatever span the thread that delivered its last result was in.
        var outer = Activity.Current;
        Activity.Current = null;
        try
        {
            using var activity = ProbeTracing.Source.StartActivity("ping round", ActivityKind.Internal, default(ActivityContext), startTime: results.Min(result => result.SentAt));
            if (activity is null)
            {
                return;
            }

            var rtts = results.Where(result => result.RoundTripTime is not null).Select(result => result.RoundTripTime!.Value.TotalSeconds).ToList();
            activity.SetTag(ProbeTracing.Prefix + "check", "ping")
                .SetTag(Prefix + "round", results[0].Round)
                .SetTag(Prefix + "sent", results.Count)
                .SetTag(Prefix + "received", rtts.Count)
                .SetTag(Prefix + "lost", results.Count - rtts.Count);
            if (rtts.Count > 0)
            {
                activity.SetTag(Prefix + "rtt_min_seconds", rtts.Min())
                    .SetTag(Prefix + "rtt_avg_seconds", rtts.Average())
                    .SetTag(Prefix + "rtt_max_seconds", rtts.Max());
            }

            foreach (var result in results)
            {
                var tags = new ActivityTagsCollection
                {
                    [Prefix + "target"] = result.Target.Name,
                    [Prefix + "address"] = result.Target.Address.ToString(),
                    [Prefix + "outcome"] = result.Succeeded ? "reply" : result.Outcome.Reason(),
                };
                if (result.RoundTripTime is { } rtt)
                {
                    tags[Prefix + "rtt_seconds"] = rtt.TotalSeconds;
                }

                activity.AddEvent(new ActivityEvent("echo", result.SentAt, tags));
            }

            if (rtts.Count < results.Count)
            {
                activity.SetStatus(ActivityStatusCode.Error, $"{results.Count - rtts.Count} of {results.Count} echoes got no reply");
            }

            activity.SetEndTime(round.LastArrival.UtcDateTime);
        }
        finally
        {
            Activity.Current = outer;
        }
    }

    private sealed class Round
    {
        public List<PingResult> Results { get; } = [];

        public DateTimeOffset LastArrival { get; set; }
    }
}
