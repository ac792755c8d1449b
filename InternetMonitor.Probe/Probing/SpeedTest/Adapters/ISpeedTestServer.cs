namespace InternetMonitor.Probe.Probing.SpeedTest.Adapters;

/// <summary>
/// One kind of speed-test server: how to ask it for N bytes, how to send it N bytes, how to ask it for nothing
/// (a round trip), and what a download response must hold. Adapters only build requests and judge sizes; the
/// engine times and moves the bytes.
/// </summary>
public interface ISpeedTestServer
{
    /// <summary>The <c>server</c> label: low cardinality, no query string.</summary>
    string Name { get; }

    SpeedTestServerType Type { get; }

    bool CanUpload { get; }

    /// <summary>The bytes a download request for <paramref name="requested"/> bytes will move (LibreSpeed sends whole MiB).</summary>
    long DownloadSize(long requested);

    HttpRequestMessage DownloadRequest(long bytes);

    HttpRequestMessage UploadRequest(HttpContent body);

    /// <summary>A request with (almost) no body either way: its time to the response headers is one round trip.</summary>
    HttpRequestMessage LatencyRequest();

    /// <summary>
    /// What the body of a download response must hold, from the announced length; throws a
    /// <see cref="SpeedTestFault"/> when the announcement is already wrong.
    /// </summary>
    DownloadExpectation Expect(long bytes, long? announced);
}
