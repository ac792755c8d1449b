using Prometheus;

namespace InternetMonitor.Probe.Hosting;

/// <summary>The <see cref="ConnectionGate"/>'s counts, read from it at every scrape.</summary>
public sealed class ConnectionMetrics
{
    private static readonly string[] Clients = ["remote", "loopback"];

    public ConnectionMetrics(IMetricFactory factory, CollectorRegistry registry, ConnectionGate gate)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(gate);
        var open = factory.CreateGauge("internet_monitor_http_connections_open", "Client connections the web server holds now, by client (remote: another host; loopback: this host).", ["client"]);
        var limit = factory.CreateGauge("internet_monitor_http_connections_limit", "The most client connections the web server holds at once, by client.", ["client"]);
        var refused = factory.CreateCounter("internet_monitor_http_connections_refused_total", "Client connections closed at once because their client's limit was reached, by client.", ["client"]);
        registry.AddBeforeCollectCallback(() =>
        {
            foreach (var client in Enum.GetValues<ConnectionClient>())
            {
                var label = Clients[(int)client];
                open.WithLabels(label).Set(gate.Open(client));
                limit.WithLabels(label).Set(gate.Limit(client));
                refused.WithLabels(label).IncTo(gate.Refused(client));
            }
        });
    }
}
