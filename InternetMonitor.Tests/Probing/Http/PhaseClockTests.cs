using System.Diagnostics;
using InternetMonitor.Probe.Probing.Http;
using InternetMonitor.Tests.Support;

namespace InternetMonitor.Tests.Probing.Http;

/// <summary>The phase clock's boundaries taken where they really were, as timestamps handed to it.</summary>
[Trait(Layer.Key, Layer.Unit)]
public sealed class PhaseClockTests
{
    private static readonly long Second = Stopwatch.Frequency;

    [Fact]
    public void Boundaries_given_as_timestamps_make_exact_durations()
    {
        var clock = new PhaseClock();
        clock.Start();
        clock.Enter(HttpPhase.Connect);
        clock.Enter(HttpPhase.Processing);
        var requested = Stopwatch.GetTimestamp() + Second; // later than now: only what the timestamps say counts

        clock.BeganAt(requested);
        clock.Enter(HttpPhase.Transfer, requested + (Second / 2));
        clock.Finish(requested + (Second / 2) + (Second / 4));

        Assert.Equal(Stopwatch.GetElapsedTime(0, Second / 2), clock.Durations[HttpPhase.Processing]);
        Assert.Equal(Stopwatch.GetElapsedTime(0, Second / 4), clock.Durations[HttpPhase.Transfer]);
        Assert.Equal(HttpPhase.Transfer, clock.Current);
    }

    [Fact]
    public void A_boundary_before_the_phase_began_is_a_zero_duration_and_never_negative()
    {
        var clock = new PhaseClock();
        var before = Stopwatch.GetTimestamp() - Second;

        clock.BeganAt(before); // earlier than the phase's start: ignored
        clock.Enter(HttpPhase.Connect, before);
        clock.Finish(before);

        Assert.Equal(TimeSpan.Zero, clock.Durations[HttpPhase.Dns]);
        Assert.Equal(TimeSpan.Zero, clock.Durations[HttpPhase.Connect]);
    }

    [Fact]
    public void Start_begins_again_in_the_first_phase_with_no_finished_phase()
    {
        var clock = new PhaseClock();
        clock.Enter(HttpPhase.Connect);
        clock.Enter(HttpPhase.Tls);

        clock.Start();

        Assert.Equal(HttpPhase.Dns, clock.Current);
        Assert.Empty(clock.Durations);
        Assert.True(clock.Total < TimeSpan.FromSeconds(1));
    }
}
