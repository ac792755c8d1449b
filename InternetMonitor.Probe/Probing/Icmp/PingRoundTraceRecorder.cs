using System.Diagnostics;
using InternetMonitor.Probe.Recording;
using InternetMonitor.Probe.Targets;
using InternetMonitor.Probe.Telemetry;

namespace InternetMonitor.Probe.Probing.Icmp;

/// <summary>
/// One span per round of pings (the n-th echo to every target: each target's echoes are numbered alike), from the
/// first send to the last result, with the round's figures as attributes and one event per echo. A round whose
/// results never all come (the probe stopped) is still written once it is 8 rounds old.
/// </summary>
public sealed class PingRoundTraceRecorder(MonitoredTargets targets, TimeProvider timeProvider) : IRecorder<PingResult>
{
    private const string Prefix = ProbeTracing.Prefix + "ping.";
    private const int MaxPendingRounds = 8;
    private readonly Dictionary<ushort, List<PingResult>> _rounds = [];
    private readonly Lock _lock = new();

    public void Record(PingResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (!ProbeTracing.Source.HasListeners())
        {
            return;
        }

        var complete = new List<List<PingResult>>();
        lock (_lock)
        {
            if (!_rounds.TryGetValue(result.Sequence, out var round))
            {
                _rounds[result.Sequence] = round = [];
            }

            round.Add(result);
            foreach (var (sequence, pending) in _rounds)
            {
                var age = (ushort)(result.Sequence - sequence);
                if (pending.Count >= targets.All.Count || age is >= MaxPendingRounds and < ushort.MaxValue / 2)
                {
                    complete.Add(pending);
                }
            }

            foreach (var done in complete)
            {
                _rounds.Remove(done[0].Sequence);
            }
        }

        foreach (var done in complete)
        {
            Write(done);
        }
    }

    private void Write(List<PingResult> round)
    {
        // A round is a trace of its own, whatever span the thread that delivered its last result was in.
        var outer = Activity.Current;
        Activity.Current = null;
        try
        {
            using var activity = ProbeTracing.Source.StartActivity("ping round", ActivityKind.Internal, default(ActivityContext), startTime: round.Min(result => result.SentAt));
            if (activity is null)
            {
                return;
            }

            var rtts = round.Where(result => result.RoundTripTime is not null).Select(result => result.RoundTripTime!.Value.TotalSeconds).ToList();
            activity.SetTag(ProbeTracing.Prefix + "check", "ping")
                .SetTag(Prefix + "sequence", (int)round[0].Sequence)
                .SetTag(Prefix + "sent", round.Count)
                .SetTag(Prefix + "received", rtts.Count)
                .SetTag(Prefix + "lost", round.Count - rtts.Count);
            if (rtts.Count > 0)
            {
                activity.SetTag(Prefix + "rtt_min_seconds", rtts.Min())
                    .SetTag(Prefix + "rtt_avg_seconds", rtts.Average())
                    .SetTag(Prefix + "rtt_max_seconds", rtts.Max());
            }

            foreach (var result in round)
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

            if (rtts.Count < round.Count)
            {
                activity.SetStatus(ActivityStatusCode.Error, $"{round.Count - rtts.Count} of {round.Count} echoes got no reply");
            }

            activity.SetEndTime(timeProvider.GetUtcNow().UtcDateTime);
        }
        finally
        {
            Activity.Current = outer;
        }
    }
}
