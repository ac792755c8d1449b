using InternetMonitor.Probe.Configuration;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Options;

namespace InternetMonitor.Probe.Hosting;

/// <summary>
/// Keeps clients of the web server from taking the descriptors that measuring needs: the soft descriptor limit raised
/// to the hard one, a reserve for measuring kept out of the clients' budget, remote and loopback clients counted
/// apart, and timeouts that close idle connections soon.
/// </summary>
public static class ConnectionLimits
{
    public static WebApplicationBuilder AddConnectionLimits(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var limit = DescriptorLimit.ReadAndRaise() ?? new DescriptorLimit(int.MaxValue, int.MaxValue, int.MaxValue, openAtStart: 0);
        services.AddSingleton(limit);
        services.AddValidatedOptions<ConnectionLimitsOptions, ConnectionLimitsOptionsValidator>(ConnectionLimitsOptions.Section)
            .Bind(OptionsRegistration.Section(builder.Configuration, ConnectionLimitsOptions.Section));
        services.AddSingleton(provider => ConnectionBudget.From(limit.Soft, limit.OpenAtStart, provider.GetRequiredService<IOptions<ConnectionLimitsOptions>>().Value));
        services.AddSingleton(provider =>
        {
            var budget = provider.GetRequiredService<ConnectionBudget>();
            return new ConnectionGate(budget.Remote, budget.Loopback);
        });
        services.AddSingleton<ConnectionMetrics>();
        services.AddOptions<KestrelServerOptions>().Configure<IServiceProvider>(Configure);
        GateTheSocketTransport(services);
        services.AddHostedService<ConnectionLimitsReport>();
        return builder;
    }

    /// <summary>The web server's socket transport, wrapped so that the gate refuses a connection at its accept (<see cref="GatedConnectionListenerFactory"/>).</summary>
    private static void GateTheSocketTransport(IServiceCollection services)
    {
        var socket = services.LastOrDefault(service => service.ServiceType == typeof(IConnectionListenerFactory) && service.ImplementationType == typeof(SocketTransportFactory));
        if (socket is null)
        {
            return; // another transport: the middleware alone gates
        }

        services.Remove(socket);
        services.AddSingleton<IConnectionListenerFactory>(provider => new GatedConnectionListenerFactory(
            new SocketTransportFactory(provider.GetRequiredService<IOptions<SocketTransportOptions>>(), provider.GetRequiredService<ILoggerFactory>()),
            provider.GetRequiredService<ConnectionGate>));
    }

    private static void Configure(KestrelServerOptions kestrel, IServiceProvider provider)
    {
        // The web server is built with the application, before the start validates the settings: an invalid one is left
        // for that validation to report, with the others, in its one message.
        ConnectionLimitsOptions options;
        try
        {
            options = provider.GetRequiredService<IOptions<ConnectionLimitsOptions>>().Value;
        }
        catch (OptionsValidationException)
        {
            return;
        }

        var budget = provider.GetRequiredService<ConnectionBudget>();
        var gate = provider.GetRequiredService<ConnectionGate>();
        kestrel.Limits.MaxConcurrentConnections = budget.ServerLimit;
        kestrel.Limits.MaxConcurrentUpgradedConnections = 0; // no endpoint upgrades (no WebSockets): an upgraded connection has no timeouts
        kestrel.Limits.RequestHeadersTimeout = options.RequestHeadersTimeout;
        kestrel.Limits.KeepAliveTimeout = options.KeepAliveTimeout;

        // Kestrel's own rates stay (240 B/s after a 5 s grace): a 1 GB speed test over a slow line still moves far more,
        // while a client that trickles its body or will not read the answer is dropped.
        kestrel.Limits.MinRequestBodyDataRate = new MinDataRate(240, TimeSpan.FromSeconds(5));
        kestrel.Limits.MinResponseDataRate = new MinDataRate(240, TimeSpan.FromSeconds(5));

        // Applied to every endpoint, those given by --urls or Urls included (Kestrel applies the defaults as it binds them).
        kestrel.ConfigureEndpointDefaults(listen => listen.Use(next => ConnectionGateMiddleware.Wrap(gate, next)));
    }
}
