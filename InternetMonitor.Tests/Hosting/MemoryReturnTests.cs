using InternetMonitor.Probe.Hosting;
using InternetMonitor.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace InternetMonitor.Tests.Hosting;

/// <summary>The memory a burst of reads took is given back once, after the burst has paused, not after every read.</summary>
[Trait(Layer.Key, Layer.Unit)]
public sealed class MemoryReturnTests
{
    [Fact]
    public void Reads_close_together_give_memory_back_once_quiet_after_the_last()
    {
        var time = new FakeTimeProvider();
        using var memory = new MemoryReturn(time);

        memory.Work().Dispose();
        time.Advance(MemoryReturn.Quiet / 2);
        memory.Work().Dispose(); // another read: the pause starts again
        time.Advance(MemoryReturn.Quiet / 2);
        Assert.Equal(0, memory.Collections);

        time.Advance(MemoryReturn.Quiet / 2);
        Assert.Equal(1, memory.Collections);

        time.Advance(MemoryReturn.Quiet * 10);
        Assert.Equal(1, memory.Collections); // nothing read since: nothing more to give back
    }

    [Fact]
    public void Memory_is_never_given_back_while_a_read_runs()
    {
        var time = new FakeTimeProvider();
        using var memory = new MemoryReturn(time);

        var first = memory.Work();
        var second = memory.Work();
        first.Dispose();
        first.Dispose(); // ending twice counts once
        time.Advance(MemoryReturn.Quiet * 3);
        Assert.Equal(0, memory.Collections); // the second still runs

        second.Dispose();
        time.Advance(MemoryReturn.Quiet);
        Assert.Equal(1, memory.Collections);
    }
}
