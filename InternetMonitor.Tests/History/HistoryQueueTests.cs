using InternetMonitor.Probe.History;
using InternetMonitor.Tests.Support;

namespace InternetMonitor.Tests.History;

/// <summary>The writer's queue: numbered rows, oldest given up past its capacity, acknowledgements answered by commit, failure or loss.</summary>
[Trait(Layer.Key, Layer.Unit)]
public sealed class HistoryQueueTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 24, 18, 0, 0, TimeSpan.Zero);
    private int _dropped;

    [Fact]
    public async Task An_acknowledgement_completes_when_its_row_is_committed_and_not_before()
    {
        var queue = new HistoryQueue(10, () => _dropped++);
        var first = queue.Add([Row(0)], acknowledge: true);
        var second = queue.Add([Row(1), Row(2)], acknowledge: true);

        queue.Committed(1);

        Assert.Equal(HistoryCommit.Committed, await first);
        Assert.False(second.IsCompleted); // its last row is number 3
        queue.Committed(3);
        Assert.Equal(HistoryCommit.Committed, await second);
    }

    [Fact]
    public async Task Past_its_capacity_the_oldest_rows_are_given_up_and_their_callers_told()
    {
        var queue = new HistoryQueue(2, () => _dropped++);
        var oldest = queue.Add([Row(0)], acknowledge: true);
        _ = queue.Add([Row(1)], acknowledge: false);
        _ = queue.Add([Row(2)], acknowledge: false);

        Assert.Equal(HistoryCommit.Dropped, await oldest);
        Assert.Equal(1, _dropped);
        var batch = new List<QueuedRow>();
        queue.Take(batch, 10);
        Assert.Equal([2L, 3L], batch.Select(row => row.Number));
    }

    [Fact]
    public async Task While_held_back_every_caller_hears_at_once_that_its_rows_wait_until_it_is_released()
    {
        var queue = new HistoryQueue(10, () => _dropped++);
        var before = queue.Add([Row(0)], acknowledge: true);

        queue.Hold("busy");

        Assert.Equal(HistoryCommit.Waiting, await before);
        var during = queue.Add([Row(1)], acknowledge: true);
        Assert.True(during.IsCompleted);
        Assert.Equal(HistoryCommit.Waiting, await during);
        Assert.Equal(2, queue.Count); // the rows themselves wait in the queue
        queue.Release();
        var after = queue.Add([Row(2)], acknowledge: true);
        Assert.False(after.IsCompleted);
    }

    [Fact]
    public void A_caller_that_asks_for_no_acknowledgement_gets_a_completed_task()
    {
        var queue = new HistoryQueue(10, () => _dropped++);

        Assert.True(queue.Add([Row(0)], acknowledge: false).IsCompleted);
        Assert.Equal(1, queue.Numbered);
    }

    private static LatencyMinuteRow Row(int minute) => new("lo", "public", "127.0.0.1", Start.AddMinutes(minute), 60, 0, 1, 1, 1, 1);
}
