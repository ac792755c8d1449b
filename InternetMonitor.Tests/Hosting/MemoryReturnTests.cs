using InternetMonitor.Probe.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace InternetMonitor.Tests.Hosting;

/// <summary>The memory a burst of reads took is given back once, after the burst has paused, not after every read.</summary>
public sealed class MemoryReturnTests
{
    [Fact]
    public void Reads_close_together_give_memory_back_once_quiet_after_the_last()
    {
        var time = new FakeTimeProvider();
        using var memory = new MemoryReturn(time);

        memory.WorkEnded();
        time.Advance(MemoryReturn.Quiet / 2);
        memory.WorkEnded(); // another read: the pause starts again
        time.Advance(MemoryReturn.Quiet / 2);
        Assert.Equal(0, memory.Collections);

        time.Advance(MemoryReturn.Quiet / 2);
        Assert.Equal(1, memory.Collections);

        time.Advance(MemoryReturn.Quiet * 10);
        Assert.Equal(1, memory.Collections); // nothing read since: nothing more to give back
    }
}
