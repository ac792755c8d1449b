using System.Net;
using Microsoft.AspNetCore.Connections;

namespace InternetMonitor.Probe.Hosting;

/// <summary>
/// The socket transport with the <see cref="ConnectionGate"/> at its accept loop: a connection over its client's limit
/// is closed there, as it is accepted, instead of being queued for the middleware. Under a flood the thread pool runs
/// the queued connections later than the listener accepts new ones, and the sockets waiting in between would take the
/// descriptors the probe needs to measure (and to start a thread: without one the runtime stops with "Out of memory.").
/// The gate is asked for when the server binds, after the start has validated the settings it is made from.
/// </summary>
public sealed class GatedConnectionListenerFactory(IConnectionListenerFactory transport, Func<ConnectionGate> gate)
    : IConnectionListenerFactory, IConnectionListenerFactorySelector
{
    /// <summary>The key, in a connection's items, of one the listener counted queued.</summary>
    public const string Queued = "InternetMonitor.Gate.Queued";

    public async ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default) =>
        new Listener(await transport.BindAsync(endpoint, cancellationToken).ConfigureAwait(false), gate());

    public bool CanBind(EndPoint endpoint) => transport is not IConnectionListenerFactorySelector selector || selector.CanBind(endpoint);

    private sealed class Listener(IConnectionListener inner, ConnectionGate gate) : IConnectionListener
    {
        public EndPoint EndPoint => inner.EndPoint;

        public async ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default)
        {
            while (true)
            {
                var connection = await inner.AcceptAsync(cancellationToken).ConfigureAwait(false);
                if (connection is null)
                {
                    return null;
                }

                if (gate.TryAccept(ConnectionGate.Classify(connection.RemoteEndPoint)))
                {
                    connection.Items[Queued] = true;
                    return connection;
                }

                connection.Abort(new ConnectionAbortedException("over the connection limit of its kind of client"));
                await connection.DisposeAsync().ConfigureAwait(false);
            }
        }

        public ValueTask UnbindAsync(CancellationToken cancellationToken = default) => inner.UnbindAsync(cancellationToken);

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
