using InternetMonitor.Probe.Recording;
using InternetMonitor.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace InternetMonitor.Tests.Recording;

/// <summary>The publisher reports a kept result only once its commit is done, in the order results came, and never waits itself.</summary>
[Trait(Layer.Key, Layer.Unit)]
public sealed class ResultPublisherTests
{
    [Fact]
    public void Without_a_keeper_the_reporters_run_at_once_in_order()
    {
        var seen = new List<string>();
        var publisher = new ResultPublisher<int>([new Reporter("a", seen), new Reporter("b", seen)], NullLogger<ResultPublisher<int>>.Instance);

        publisher.Publish(1);

        Assert.Equal(["a1", "b1"], seen);
    }

    [Fact]
    public async Task A_result_is_reported_after_its_commit_and_publishing_does_not_wait_for_it()
    {
        var seen = new List<string>();
        var keeper = new Keeper();
        var publisher = new ResultPublisher<int>([new Reporter("log", seen)], [keeper], NullLogger<ResultPublisher<int>>.Instance);

        var published = publisher.PublishAsync(1);

        Assert.False(published.IsCompleted); // handed over; the commit is not done
        Assert.Empty(seen);
        keeper.Commit(1);
        await published;
        Assert.Equal(["log1"], seen);
    }

    [Fact]
    public async Task Results_are_reported_in_the_order_they_were_published_whatever_order_their_commits_end_in()
    {
        var seen = new List<string>();
        var keeper = new Keeper();
        var publisher = new ResultPublisher<int>([new Reporter("log", seen)], [keeper], NullLogger<ResultPublisher<int>>.Instance);

        var first = publisher.PublishAsync(1);
        var second = publisher.PublishAsync(2);
        keeper.Commit(2);
        await Task.Yield();
        Assert.Empty(seen); // the second waits for the first
        keeper.Commit(1);
        await Task.WhenAll(first, second);

        Assert.Equal(["log1", "log2"], seen);
    }

    [Fact]
    public async Task A_keeper_that_fails_or_throws_does_not_stop_the_reporting()
    {
        var seen = new List<string>();
        var publisher = new ResultPublisher<int>([new Reporter("log", seen)], [new Throwing(), new Failing()], NullLogger<ResultPublisher<int>>.Instance);

        await publisher.PublishAsync(1);

        Assert.Equal(["log1"], seen);
    }

    private sealed class Reporter(string name, List<string> seen) : IRecorder<int>
    {
        public void Record(int result)
        {
            lock (seen)
            {
                seen.Add(name + result);
            }
        }
    }

    /// <summary>A keeper whose commits end when the test says.</summary>
    private sealed class Keeper : ICommittingRecorder<int>
    {
        private readonly Dictionary<int, TaskCompletionSource> _commits = [];

        Task ICommittingRecorder<int>.Commit(int result)
        {
            var commit = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _commits[result] = commit;
            return commit.Task;
        }

        public void Commit(int result) => _commits[result].SetResult();
    }

    private sealed class Throwing : ICommittingRecorder<int>
    {
        public Task Commit(int result) => throw new InvalidOperationException("broken keeper");
    }

    private sealed class Failing : ICommittingRecorder<int>
    {
        public Task Commit(int result) => Task.FromException(new IOException("disk gone"));
    }
}
