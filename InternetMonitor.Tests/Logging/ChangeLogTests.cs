using InternetMonitor.Probe.Logging;
using InternetMonitor.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace InternetMonitor.Tests.Logging;

/// <summary>The log-on-change state on a fake clock: which attempts of a check get a line, and what the line says.</summary>
[Trait(Layer.Key, Layer.Unit)]
public sealed class ChangeLogTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 4, 14, 2, 0, TimeSpan.Zero);
    private static readonly TimeSpan RepeatEvery = TimeSpan.FromMinutes(15);
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    private readonly FakeTimeProvider _clock = new(T0);
    private readonly ChangeLog<string> _log;

    public ChangeLogTests() => _log = new ChangeLog<string>(_clock, RepeatEvery);

    [Fact]
    public void A_check_that_never_fails_writes_nothing()
    {
        var lines = Run(Enumerable.Repeat<string?>(null, 100));

        Assert.Empty(lines);
    }

    [Fact]
    public void The_first_failure_is_a_line_with_its_reason_and_start()
    {
        _log.Succeeded("a");
        _clock.Advance(Interval);

        var line = _log.Failed("a", "timeout");

        Assert.Equal(ChangeKind.Failing, line.Kind);
        Assert.Equal("timeout", line.Reason);
        Assert.Equal(T0 + Interval, line.Since);
        Assert.Equal(1, line.Attempts);
        Assert.Equal("", line.Notes());
    }

    [Fact]
    public void A_check_that_keeps_failing_writes_one_reminder_every_RepeatEvery_with_the_count_and_duration_since_its_start()
    {
        // Two hours of failures every 30 s: the first line, then one reminder each 15 min.
        var lines = Run(Enumerable.Repeat<string?>("timeout", 240));

        Assert.Equal(ChangeKind.Failing, lines[0].Line.Kind);
        var reminders = lines.Skip(1).ToList();
        Assert.Equal(7, reminders.Count); // at 15, 30, ..., 105 min; the 240th attempt is at 119.5 min
        Assert.All(reminders, reminder => Assert.Equal(ChangeKind.StillFailing, reminder.Line.Kind));
        Assert.Equal(TimeSpan.FromMinutes(15), reminders[0].Line.For);
        Assert.Equal(31, reminders[0].Line.Attempts); // attempts 0 .. 30, every 30 s from T0
        Assert.Equal(T0, reminders[0].Line.Since);
        Assert.Equal(TimeSpan.FromMinutes(105), reminders[^1].Line.For);
        Assert.Equal(211, reminders[^1].Line.Attempts);
        Assert.Null(reminders[0].Line.PreviousReason);
    }

    [Fact]
    public void Recovery_is_one_line_with_how_long_it_failed_and_how_many_attempts()
    {
        var lines = Run(["timeout", "timeout", "timeout", "timeout", null, null, null]);

        Assert.Equal([ChangeKind.Failing, ChangeKind.Recovered], lines.Select(line => line.Line.Kind));
        var recovered = lines[1].Line;
        Assert.Equal(4, recovered.Attempts);
        Assert.Equal(4 * Interval, recovered.For); // from the first failure to the first success
        Assert.Equal(T0, recovered.Since);
        Assert.Equal("timeout", recovered.Reason);
    }

    [Fact]
    public void A_flapping_check_writes_two_lines_in_a_RepeatEvery_not_one_per_flap_and_then_sums_up_the_flaps()
    {
        // Fails and recovers every other attempt for 20 minutes: 20 flaps within the first 15 min.
        var pattern = Enumerable.Range(0, 40).Select(i => i % 2 == 0 ? "servfail" : null).ToList();

        var lines = Run(pattern);

        // The first failure, its recovery 30 s later, then nothing until 15 min after that recovery.
        Assert.Equal(ChangeKind.Failing, lines[0].Line.Kind);
        Assert.Equal(ChangeKind.Recovered, lines[1].Line.Kind);
        Assert.Equal(Interval, lines[1].At);
        var later = lines.Skip(2).ToList();
        Assert.All(later, line => Assert.True(line.At >= Interval + RepeatEvery, $"a line at {line.At} within RepeatEvery of the recovery"));

        // At 15.5 min, 15 min after the recovery, a success sums up the failures folded since (at 1, 2, ..., 15 min).
        var summary = Assert.Single(later);
        Assert.Equal(ChangeKind.Flapped, summary.Line.Kind);
        Assert.Equal(Interval + RepeatEvery, summary.At);
        Assert.Equal(15, summary.Line.Folded);
        Assert.Equal(15, summary.Line.Attempts);
        Assert.Equal(RepeatEvery, summary.Line.For);
    }

    [Fact]
    public void A_failure_that_outlasts_the_interval_after_flaps_is_announced_and_names_the_flaps_before_it()
    {
        // Fails at 0, recovers at 30 s, fails at 1 min and recovers, then fails from 2 min on.
        var lines = Run(["timeout", null, "timeout", null, .. Enumerable.Repeat<string?>("timeout", 40)]);

        Assert.Equal([ChangeKind.Failing, ChangeKind.Recovered, ChangeKind.Failing], lines.Select(line => line.Line.Kind));
        var announced = lines[2];
        Assert.Equal(Interval + RepeatEvery, announced.At);
        Assert.Equal(TimeSpan.FromMinutes(2), announced.Line.Since - T0);
        Assert.Equal(TimeSpan.FromMinutes(13.5), announced.Line.For);
        Assert.Equal(28, announced.Line.Attempts); // every 30 s from 2 min to 15.5 min
        Assert.Equal(1, announced.Line.Folded); // the failure at 1 min; the one going on is the line itself
        Assert.Equal("; it failed and recovered 1 time(s) since the last line", announced.Line.Notes());
    }

    [Fact]
    public void Flaps_that_end_in_a_success_are_summed_up_once_the_interval_has_passed()
    {
        // A failure and its recovery, then three short failures within the interval, then successes only.
        _log.Failed("a", "timeout");
        _clock.Advance(Interval);
        _log.Succeeded("a");
        foreach (var reason in new[] { "timeout", "servfail", "timeout" })
        {
            _clock.Advance(TimeSpan.FromMinutes(1));
            Assert.Equal(ChangeKind.None, _log.Failed("a", reason).Kind);
            _clock.Advance(Interval);
            Assert.Equal(ChangeKind.None, _log.Succeeded("a").Kind);
        }

        _clock.Advance(RepeatEvery);
        var line = _log.Succeeded("a");

        Assert.Equal(ChangeKind.Flapped, line.Kind);
        Assert.Equal(3, line.Folded);
        Assert.Equal(3, line.Attempts);
        Assert.Equal(T0 + Interval + TimeSpan.FromMinutes(1), line.Since); // the first folded failure's start
        Assert.Equal("timeout", line.Reason);
        Assert.Equal(ChangeKind.None, _log.Succeeded("a").Kind); // said once
    }

    [Fact]
    public void A_new_reason_is_named_in_the_next_reminder_with_the_one_before()
    {
        _log.Failed("a", "timeout");
        _clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(ChangeKind.None, _log.Failed("a", "servfail").Kind);
        _clock.Advance(TimeSpan.FromMinutes(10));

        var reminder = _log.Failed("a", "servfail");

        Assert.Equal(ChangeKind.StillFailing, reminder.Kind);
        Assert.Equal("servfail", reminder.Reason);
        Assert.Equal("timeout", reminder.PreviousReason);
        Assert.Equal("; the reason was timeout before", reminder.Notes());

        _clock.Advance(RepeatEvery);
        Assert.Null(_log.Failed("a", "servfail").PreviousReason); // the last line named it already
    }

    [Fact]
    public void Checks_are_kept_apart_by_key()
    {
        Assert.Equal(ChangeKind.Failing, _log.Failed("a", "timeout").Kind);
        Assert.Equal(ChangeKind.Failing, _log.Failed("b", "timeout").Kind);
        Assert.Equal(ChangeKind.None, _log.Failed("a", "timeout").Kind);
        Assert.Equal(ChangeKind.Recovered, _log.Succeeded("b").Kind);
        Assert.Equal(ChangeKind.None, _log.Succeeded("c").Kind);
    }

    [Fact]
    public void Durations_are_on_the_monotonic_clock_not_the_wall_clock()
    {
        var clock = new JumpingClock(T0);
        var log = new ChangeLog<string>(clock, RepeatEvery);
        log.Failed("a", "timeout");
        clock.Advance(TimeSpan.FromMinutes(2));
        clock.Step(-TimeSpan.FromHours(1)); // the wall clock is set back an hour; no time passes

        var recovered = log.Succeeded("a");

        Assert.Equal(TimeSpan.FromMinutes(2), recovered.For);
        Assert.Equal(T0, recovered.Since);
    }

    [Theory]
    [InlineData(0.85, "850 ms")]
    [InlineData(4.2, "4.2 s")]
    [InlineData(42, "42 s")]
    [InlineData(900, "15 min")]
    [InlineData(902, "15 min 2 s")]
    [InlineData(12_000, "3 h 20 min")]
    [InlineData(3600, "1 h")]
    [InlineData(190_800, "2 d 5 h")]
    public void Durations_read_as_people_write_them(double seconds, string expected) =>
        Assert.Equal(expected, ChangeLine.Describe(TimeSpan.FromSeconds(seconds)));

    /// <summary>Feeds one attempt per interval (null: a success, else the failure's reason); the lines written and when.</summary>
    private List<(TimeSpan At, ChangeLine Line)> Run(IEnumerable<string?> attempts)
    {
        var lines = new List<(TimeSpan, ChangeLine)>();
        var at = TimeSpan.Zero;
        foreach (var reason in attempts)
        {
            var line = reason is null ? _log.Succeeded("check") : _log.Failed("check", reason);
            if (line.Kind != ChangeKind.None)
            {
                lines.Add((at, line));
            }

            _clock.Advance(Interval);
            at += Interval;
        }

        return lines;
    }
}
