using System.Globalization;

namespace InternetMonitor.Probe.Probing.SpeedTest.Adapters;

/// <summary>
/// A LibreSpeed backend (the folder holding its PHP files): <c>garbage.php?ckSize=N</c> sends N chunks of 1 MiB
/// (1 to 1024), <c>empty.php</c> takes uploads (POST) and answers round trips (GET).
/// </summary>
public sealed class LibreSpeedServer(string name, Uri baseUri, string token = "") : SpeedTestServerBase(name, token)
{
    public const long Chunk = 1 << 20;
    public const int MaxChunks = 1024;

    public override SpeedTestServerType Type => SpeedTestServerType.LibreSpeed;

    public override long DownloadSize(long requested) => Chunks(requested) * Chunk;

    public override HttpRequestMessage DownloadRequest(long bytes) =>
        Request(HttpMethod.Get, Under(baseUri, "garbage.php?ckSize=" + Chunks(bytes).ToString(CultureInfo.InvariantCulture)));

    public override HttpRequestMessage UploadRequest(HttpContent body) => Request(HttpMethod.Post, Under(baseUri, "empty.php"), body);

    public override HttpRequestMessage LatencyRequest() => Request(HttpMethod.Get, Under(baseUri, "empty.php"));

    private static long Chunks(long bytes) => Math.Clamp((bytes + Chunk - 1) / Chunk, 1, MaxChunks);
}
