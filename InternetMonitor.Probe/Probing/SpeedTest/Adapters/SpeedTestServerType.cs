namespace InternetMonitor.Probe.Probing.SpeedTest.Adapters;

public enum SpeedTestServerType
{
    /// <summary>A base URL serving <c>GET /__down?bytes=N</c> and <c>POST /__up</c> (speed.cloudflare.com, or a probe).</summary>
    Cloudflare,

    /// <summary>A LibreSpeed backend: <c>garbage.php?ckSize=N</c> (N MiB), <c>empty.php</c>.</summary>
    LibreSpeed,

    /// <summary>A plain download URL (read with Range requests) and an optional upload URL (POST).</summary>
    Url,
}
