using Microsoft.AspNetCore.Connections;

namespace InternetMonitor.Probe.Hosting;

/// <summary>The <see cref="ConnectionGate"/> in front of every endpoint: a connection over its client's limit is closed at once, before a byte is read.</summary>
public static class ConnectionGateMiddleware
{
    public static ConnectionDelegate Wrap(ConnectionGate gate, ConnectionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(gate);
        ArgumentNullException.ThrowIfNull(next);
        return async context =>
        {
            var client = ConnectionGate.Classify(context.RemoteEndPoint);
            if (context.Items.Remove(GatedConnectionListenerFactory.Queued))
            {
                gate.Dequeued(client);
            }

            if (!gate.TryOpen(client))
            {
                context.Abort(new ConnectionAbortedException($"over the limit of {gate.Limit(client)} {client} connections"));
                return;
            }

            try
            {
                await next(context).ConfigureAwait(false);
            }
            finally
            {
                gate.Close(client);
            }
        };
    }
}
