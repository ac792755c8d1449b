using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace InternetMonitor.Tests.Support;

/// <summary>
/// The smallest SMTP server a mail client accepts (RFC 5321 without extensions: HELO/EHLO, MAIL, RCPT, DATA, QUIT)
/// on a free loopback port; keeps each message as its envelope and raw text.
/// </summary>
public sealed class SmtpSink : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    public SmtpSink()
    {
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public ConcurrentQueue<(string From, IReadOnlyList<string> To, string Data)> Messages { get; } = new();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            var stream = client.GetStream();
            using var reader = new StreamReader(stream, Encoding.ASCII);
            await using var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
            await writer.WriteLineAsync("220 sink.test ESMTP");
            var from = string.Empty;
            var to = new List<string>();
            try
            {
                while (await reader.ReadLineAsync(_stop.Token) is { } line)
                {
                    var verb = line.Split(' ', 2)[0].ToUpperInvariant();
                    switch (verb)
                    {
                        case "EHLO" or "HELO":
                            await writer.WriteLineAsync("250 sink.test");
                            break;
                        case "MAIL":
                            from = line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
                            await writer.WriteLineAsync("250 OK");
                            break;
                        case "RCPT":
                            to.Add(line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim());
                            await writer.WriteLineAsync("250 OK");
                            break;
                        case "DATA":
                            await writer.WriteLineAsync("354 end with <CRLF>.<CRLF>");
                            var data = new StringBuilder();
                            while (await reader.ReadLineAsync(_stop.Token) is { } dataLine && dataLine != ".")
                            {
                                data.AppendLine(dataLine.StartsWith("..", StringComparison.Ordinal) ? dataLine[1..] : dataLine);
                            }

                            Messages.Enqueue((from, to.ToArray(), data.ToString()));
                            to.Clear();
                            await writer.WriteLineAsync("250 OK queued");
                            break;
                        case "QUIT":
                            await writer.WriteLineAsync("221 bye");
                            return;
                        default:
                            await writer.WriteLineAsync(verb is "RSET" or "NOOP" ? "250 OK" : "502 not implemented");
                            break;
                    }
                }
            }
            catch (Exception exception) when (exception is IOException or OperationCanceledException)
            {
                // The client went away or the sink is stopping.
            }
        }
    }
}
