using InternetMonitor.Lab;

namespace InternetMonitor.Tests.Support;

/// <summary>The one wait: what it returns, and how it fails (what was awaited, what was last seen, why it stopped).</summary>
[Trait(Layer.Key, Layer.Unit)]
public sealed class PollingTests
{
    [Fact]
    public async Task A_wait_returns_the_first_value_that_holds()
    {
        var reads = 0;

        var value = await Poll.UntilAsync(() => Task.FromResult(++reads), count => count >= 3, "the third read", every: TimeSpan.FromMilliseconds(1));

        Assert.Equal(3, value);
        Assert.Equal(3, reads);
    }

    [Fact]
    public async Task A_wait_that_never_holds_fails_after_its_deadline_naming_what_it_awaited_and_what_it_last_saw()
    {
        var failure = await Assert.ThrowsAsync<LabException>(() =>
            Poll.UntilAsync(() => Task.FromResult("nearly"), text => text == "done", "the text saying done", TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(5)));

        Assert.Equal("the text saying done: not within 0.05 s; last seen: nearly", failure.Message);
    }

    [Fact]
    public async Task A_wait_stops_at_once_when_what_it_awaits_can_no_longer_come()
    {
        var reads = 0;

        var failure = await Assert.ThrowsAsync<LabException>(() => Poll.UntilAsync(
            () => Task.FromResult(++reads), _ => false, "a line of output", TimeSpan.FromMinutes(5), TimeSpan.FromMilliseconds(1),
            gaveUp: () => reads == 2 ? "the program ended (1)" : null, explain: count => Task.FromResult($"{count} reads")));

        Assert.Equal(2, reads); // the read after the program ended still counted, and no more
        Assert.Equal("a line of output: the program ended (1); 2 reads", failure.Message);
    }

    [Fact]
    public async Task A_start_that_is_tried_again_is_told_false_rather_than_failed()
    {
        Assert.False(await Poll.HoldsAsync(() => Task.FromResult(false), TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(5)));
        Assert.False(await Poll.HoldsAsync(() => Task.FromResult(false), TimeSpan.FromMinutes(5), gaveUp: () => "it exited"));
        Assert.True(await Poll.HoldsAsync(() => Task.FromResult(true), TimeSpan.FromMilliseconds(20)));
    }
}
