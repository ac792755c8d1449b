using System.Net;
using System.Net.Sockets;
using System.Text;
using InternetMonitor.Lab;

namespace InternetMonitor.Tests.Support;

/// <summary>
/// The built probe as a root service reachable from the network: its own process in a namespace the test makes, listening
/// on every address there, the namespace holding <see cref="RemoteAddress"/> besides loopback so that the test can be a
/// client from elsewhere (<see cref="Remote"/>) as well as one on the same host (<see cref="Local"/>). Nothing in the
/// namespace reaches beyond it.
/// </summary>
public sealed class ExposedProbe : IAsyncDisposable
{
    /// <summary>An address of the namespace that is not loopback (TEST-NET-1): what a client on the network comes from.</summary>
    public static readonly IPAddress RemoteAddress = IPAddress.Parse("192.0.2.1");

    private readonly bool _ownFolder;

    private ExposedProbe(NetworkNamespace network, ProbeProcess probe, string folder, bool ownFolder)
    {
        _ownFolder = ownFolder;
        Network = network;
        Probe = probe;
        Folder = folder;
        Remote = Client(network, RemoteAddress, RemoteAddress);
        Local = Client(network, IPAddress.Loopback, IPAddress.Loopback);
    }

    public NetworkNamespace Network { get; }

    public ProbeProcess Probe { get; }

    /// <summary>The probe's folder (its history, its data budget): the caller's, or one of its own deleted at the end.</summary>
    public string Folder { get; }

    public string HistoryPath => Path.Combine(Folder, "history.db");

    /// <summary>A client on the network: from <see cref="RemoteAddress"/>, to <c>http://192.0.2.1:8000</c>.</summary>
    public HttpClient Remote { get; }

    /// <summary>A client on the probe's host: from and to 127.0.0.1.</summary>
    public HttpClient Local { get; }

    /// <summary>
    /// Starts the probe with loopback-only targets and <paramref name="settings"/> (environment form, <c>Monitor__A__B</c>)
    /// over them, keeping its files in <paramref name="folder"/> (which the caller then deletes) or in one of its own.
    /// </summary>
    public static async Task<ExposedProbe> StartAsync(IReadOnlyDictionary<string, string>? settings = null, string? folder = null)
    {
        var network = await LabFixture.NamespaceAsync();
        ExposedProbe exposed;
        try
        {
            await network.RunAsync("ip", "address", "add", $"{RemoteAddress}/32", "dev", "lo");
            var own = folder is null;
            folder ??= Directory.CreateTempSubdirectory("im-exposed-").FullName;
            var environment = ProbeHost.Environment([
                .. ProbeHost.LoopbackArguments(),
                $"--Monitor:History:Path={Path.Combine(folder, "history.db")}",
                $"--Monitor:SpeedTest:Budget:StatePath={Path.Combine(folder, "speedtest-budget.json")}",
            ]);
            foreach (var (name, value) in settings ?? new Dictionary<string, string>())
            {
                environment[name] = value;
            }

            exposed = new ExposedProbe(network, ProbeProcess.Start(network, LabFixture.ProbeProgram, environment, listenOnAll: true), folder, own);
        }
        catch
        {
            await network.DisposeAsync();
            throw;
        }

        try
        {
            await exposed.Probe.WaitForAsync(metrics => metrics.Value("internet_monitor_up") == 1, "the probe up", cancellationToken: TestContext.Current.CancellationToken);
            return exposed;
        }
        catch
        {
            await exposed.DisposeAsync(); // the probe stopped by its id, the namespace and a folder of its own deleted
            throw;
        }
    }

    /// <summary>
    /// Sends <paramref name="request"/> as raw bytes from <paramref name="from"/> and returns what the probe answers
    /// until it closes or goes quiet for a second: for requests no HTTP client would send (a broken chunk size).
    /// </summary>
    public async Task<string> RawAsync(string request, IPAddress? from = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        var source = from ?? IPAddress.Loopback;
        using var socket = NamespaceThread.Run(Network, () => new Socket(SocketType.Stream, ProtocolType.Tcp));
        socket.Bind(new IPEndPoint(source, 0));
        await socket.ConnectAsync(new IPEndPoint(source, ProbeProcess.Port), TestContext.Current.CancellationToken);
        await socket.SendAsync(Encoding.ASCII.GetBytes(request), TestContext.Current.CancellationToken);
        var answer = new StringBuilder();
        var buffer = new byte[8192];
        while (true)
        {
            using var quiet = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            quiet.CancelAfter(TimeSpan.FromSeconds(1));
            int read;
            try
            {
                read = await socket.ReceiveAsync(buffer, quiet.Token);
            }
            catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
            {
                break;
            }

            if (read == 0)
            {
                break;
            }

            answer.Append(Encoding.UTF8.GetString(buffer, 0, read));
        }

        return answer.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        Remote.Dispose();
        Local.Dispose();
        await Probe.DisposeAsync();
        await Network.DisposeAsync();
        if (_ownFolder)
        {
            Directory.Delete(Folder, recursive: true);
        }
    }

    /// <summary>
    /// An HTTP client whose connections are made in the namespace from <paramref name="from"/> to <paramref name="to"/>;
    /// with <paramref name="receiveBuffer"/>, one that reads slowly (see <see cref="NamespaceHttpClient.Create"/>).
    /// </summary>
    public static HttpClient Client(NetworkNamespace network, IPAddress from, IPAddress to, int? receiveBuffer = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        var client = NamespaceHttpClient.Create(network, TimeSpan.FromSeconds(15), receiveBuffer, from);
        client.BaseAddress = new Uri($"http://{(to.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{to}]" : to.ToString())}:{ProbeProcess.Port}");
        return client;
    }
}
