using System.Net.Http.Headers;

namespace InternetMonitor.Probe.Probing.SpeedTest.Adapters;

/// <summary>
/// A plain file on any web server: each download asks for its first N bytes with a Range request (a server that
/// ignores Range sends the whole file, and reading stops after N bytes); a file shorter than N is read whole.
/// Uploads POST N bytes to the upload URL, when there is one. A HEAD of the download URL is the round trip.
/// </summary>
public sealed class UrlServer(string name, Uri downloadUri, Uri? uploadUri, string token = "") : SpeedTestServerBase(name, token)
{
    public override SpeedTestServerType Type => SpeedTestServerType.Url;

    public override bool CanUpload => uploadUri is not null;

    public override HttpRequestMessage DownloadRequest(long bytes)
    {
        var request = Request(HttpMethod.Get, downloadUri);
        request.Headers.Range = new RangeHeaderValue(0, bytes - 1);
        return request;
    }

    public override HttpRequestMessage UploadRequest(HttpContent body) =>
        Request(HttpMethod.Post, uploadUri ?? throw new InvalidOperationException("no upload URL is configured"), body);

    public override HttpRequestMessage LatencyRequest() => Request(HttpMethod.Head, downloadUri);

    public override DownloadExpectation Expect(long bytes, long? announced) =>
        new(announced is { } length ? Math.Min(length, bytes) : bytes, UpTo: true);
}
