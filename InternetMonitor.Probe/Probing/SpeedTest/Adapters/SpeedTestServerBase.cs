using System.Net;
using System.Net.Http.Headers;

namespace InternetMonitor.Probe.Probing.SpeedTest.Adapters;

/// <summary>What every adapter shares: HTTP/1.1 (one connection per stream), no caching, an optional token.</summary>
public abstract class SpeedTestServerBase(string name, string token) : ISpeedTestServer
{
    public string Name { get; } = name;

    public abstract SpeedTestServerType Type { get; }

    public virtual bool CanUpload => true;

    public virtual long DownloadSize(long requested) => requested;

    public abstract HttpRequestMessage DownloadRequest(long bytes);

    public abstract HttpRequestMessage UploadRequest(HttpContent body);

    public abstract HttpRequestMessage LatencyRequest();

    public virtual DownloadExpectation Expect(long bytes, long? announced) => announced switch
    {
        { } length when length > bytes => throw new SpeedTestFault(SpeedTestFailureReason.LongBody, $"asked for {bytes} bytes, the server announced {length}"),
        { } length when length < bytes => throw new SpeedTestFault(SpeedTestFailureReason.ShortBody, $"asked for {bytes} bytes, the server announced {length}"),
        _ => new DownloadExpectation(bytes, UpTo: false),
    };

    protected HttpRequestMessage Request(HttpMethod method, Uri uri, HttpContent? body = null)
    {
        var request = new HttpRequestMessage(method, uri)
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
            Content = body,
        };
        request.Headers.CacheControl = new CacheControlHeaderValue { NoCache = true, NoStore = true };
        request.Headers.TryAddWithoutValidation("User-Agent", "InternetMonitor");
        if (token.Length > 0)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return request;
    }

    /// <summary><paramref name="relative"/> under <paramref name="baseUri"/>, whose path is treated as a folder.</summary>
    protected static Uri Under(Uri baseUri, string relative)
    {
        ArgumentNullException.ThrowIfNull(baseUri);
        var folder = baseUri.AbsoluteUri.EndsWith('/') ? baseUri : new Uri(baseUri.AbsoluteUri + "/");
        return new Uri(folder, relative);
    }
}
