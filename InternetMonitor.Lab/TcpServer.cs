using System.Net;
using System.Net.Sockets;

namespace InternetMonitor.Lab;

/// <summary>
/// What the lab's hand-made servers share: a listener, a loop that hands each accepted connection to
/// <see cref="ServeAsync"/> on its own task, and a stop that ends the loop. A derived server calls
/// <see cref="Start"/> at the end of its constructor, once its own fields are set.
/// </summary>
public abstract class TcpServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private Task _acceptLoop = Task.CompletedTask;
    private int _accepted;

    protected TcpServer(IPAddress address, int port)
    {
        _listener = new TcpListener(address, port);
    }

    public IPEndPoint Endpoint => (IPEndPoint)_listener.LocalEndpoint;

    public int Port => Endpoint.Port;

    /// <summary>Connections accepted so far.</summary>
    public int Accepted => Volatile.Read(ref _accepted);

    /// <summary>Cancelled when the server stops: what a connection waits on.</summary>
    protected CancellationToken Stopping => _stop.Token;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _acceptLoop;
        }
        catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // Stopped.
        }

        _stop.Dispose();
        GC.SuppressFinalize(this);
    }

    protected void Start()
    {
        _listener.Start();
        _acceptLoop = Task.Run(AcceptAsync);
    }

    /// <summary>Serves one connection; the server disposes nothing of it.</summary>
    protected abstract Task ServeAsync(TcpClient client);

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            Interlocked.Increment(ref _accepted);
            _ = Task.Run(() => ServeAsync(client));
        }
    }
}
