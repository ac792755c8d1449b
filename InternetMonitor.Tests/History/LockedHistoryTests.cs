using System.Globalization;
using InternetMonitor.Lab;
using InternetMonitor.Tests.Support;
using Microsoft.Data.Sqlite;

namespace InternetMonitor.Tests.History;

/// <summary>
/// The built probe measuring in a namespace while another program holds its history database locked, for longer than
/// the echo timeout, as an outage starts and ends: measuring does not wait on the disk (every echo the lab answered is
/// counted answered, with its true round trip), the outage is reported all the same, and every row reaches the file
/// once the lock goes.
/// </summary>
[Trait(Layer.Key, Layer.Integration)]
public sealed class LockedHistoryTests
{
    /// <summary>Lets the anchors' echoes through again, before the rule that drops them, whose packet count then stays as it was.</summary>
    private static readonly string[] AnchorsAgain = ["INPUT", "1", "-p", "icmp", "--icmp-type", "echo-request", "-d", "127.0.0.2/31", "-j", "ACCEPT"];

    [Fact]
    public async Task An_outage_while_the_database_is_locked_loses_no_echo_and_every_row_is_written_once_the_lock_goes()
    {
        await using var network = await LabFixture.NamespaceAsync();
        Prerequisite.RequireProgram("iptables", "iptables");
        var data = Directory.CreateTempSubdirectory("im-locked-history-").FullName;
        try
        {
            var settings = LabFixture.AnchorsAndRouter(); // echoes every 0.2 s, timeout 0.5 s, an outage after 1 s of silence
            settings["Monitor__DataDirectory"] = data;
            await using var probe = LabFixture.StartProbe(network, settings);
            await probe.UntilAsync(
                m => m.Value("internet_monitor_up") == 1 && m.Value("internet_monitor_history_healthy") == 1
                    && m.Value("internet_monitor_ping_packets_received_total", ("target", "gateway")) >= 5,
                "the probe measuring, its history open");

            using (var other = HistoryFile.Open(Path.Combine(data, "history.db")))
            {
                HistoryFile.Execute(other, "BEGIN EXCLUSIVE;"); // another program holds the write lock

                await network.RunAsync(["iptables", "-A", .. LabFixture.SilentAnchors]);
                await probe.UntilAsync(
                    m => m.Value("internet_monitor_up") == 0
                        && m.Value("internet_monitor_outages_total", ("cause", "internet")) == 1
                        && m.Value("internet_monitor_history_write_failures_total", ("reason", "busy")) >= 1,
                    "the outage declared and counted while its row cannot be written");
                await probe.WaitForLogAsync("Internet DOWN (cause internet)", TestContext.Current.CancellationToken);

                await network.RunAsync(["iptables", "-I", .. AnchorsAgain]);
                await probe.UntilAsync(m => m.Value("internet_monitor_up") == 1, "the outage over");
                await probe.WaitForLogAsync("Internet UP again: outage (cause internet)", TestContext.Current.CancellationToken);

                var locked = await probe.UntilAsync(m => m.Value("internet_monitor_history_pending_rows") >= 2, "the outage's two rows waiting");
                Assert.Equal(0, locked.Value("internet_monitor_history_healthy"));
                Assert.Equal(0, HistoryFile.Scalar<long>(other, "SELECT count(*) FROM outages"));
                HistoryFile.Execute(other, "ROLLBACK;");
            }

            // The writer takes the database back by itself (it tries again every 10 s) and writes what waited.
            var after = await probe.UntilAsync(
                m => m.Value("internet_monitor_history_healthy") == 1 && m.Value("internet_monitor_history_pending_rows") == 0,
                "the waiting rows written", TimeSpan.FromSeconds(60));
            SqliteConnection.ClearAllPools();
            using (var connection = HistoryFile.Open(Path.Combine(data, "history.db")))
            {
                Assert.Equal(1, HistoryFile.Scalar<long>(connection, "SELECT count(*) FROM outages WHERE cause = 'internet' AND ended_at > started_at"));
            }

            // Every echo the lab answered was counted answered: the router's all of them, the anchors' all but those the
            // firewall dropped (its rule's own packet count), and none late.
            Assert.Equal(0, after.Value("internet_monitor_ping_packet_loss_total", ("target", "gateway")));
            var dropped = await DroppedAsync(network);
            Assert.True(dropped >= 2, $"the firewall dropped {dropped} echoes");
            Assert.Equal(dropped, after.Value("internet_monitor_ping_packet_loss_total", ("target", "a")) + after.Value("internet_monitor_ping_packet_loss_total", ("target", "b")));
            Assert.All(after.Samples("internet_monitor_ping_late_replies_total"), sample => Assert.Equal(0, sample.Value));

            // Their round trips are loopback's, not a wait on the disk: none reached the 0.2 s bucket, against a 1 s busy timeout.
            foreach (var target in (string[])["gateway", "a", "b"])
            {
                var buckets = after.Samples("internet_monitor_ping_rtt_seconds_bucket").Where(sample => sample.Labels["target"] == target).ToList();
                var all = buckets.Single(sample => sample.Labels["le"] == "+Inf").Value;
                var fast = buckets.Where(sample => sample.Labels["le"] != "+Inf" && double.Parse(sample.Labels["le"], CultureInfo.InvariantCulture) <= 0.21).Max(sample => sample.Value);
                Assert.True(all > 0, $"no reply from {target}");
                Assert.Equal(all, fast);
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(data, recursive: true);
        }
    }

    /// <summary>How many echo requests the rule of <see cref="LabFixture.SilentAnchors"/> dropped (iptables' packet count).</summary>
    private static async Task<double> DroppedAsync(NetworkNamespace network)
    {
        var listing = await network.RunAsync("iptables", "-L", "INPUT", "-v", "-x", "-n");
        var rule = listing.Split('\n').Single(line => line.Contains("DROP", StringComparison.Ordinal));
        return double.Parse(rule.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0], CultureInfo.InvariantCulture);
    }
}
