using System.Globalization;

namespace InternetMonitor.Probe.Probing.SpeedTest.Adapters;

/// <summary>
/// speed.cloudflare.com's protocol, which the probe also serves: <c>GET __down?bytes=N</c> sends N bytes,
/// <c>POST __up</c> takes a body, and <c>__down?bytes=0</c> is the round trip.
/// </summary>
public sealed class CloudflareServer(string name, Uri baseUri, string token = "") : SpeedTestServerBase(name, token)
{
    public override SpeedTestServerType Type => SpeedTestServerType.Cloudflare;

    public override HttpRequestMessage DownloadRequest(long bytes) =>
        Request(HttpMethod.Get, Under(baseUri, "__down?bytes=" + bytes.ToString(CultureInfo.InvariantCulture)));

    public override HttpRequestMessage UploadRequest(HttpContent body) => Request(HttpMethod.Post, Under(baseUri, "__up"), body);

    public override HttpRequestMessage LatencyRequest() => DownloadRequest(0);
}
