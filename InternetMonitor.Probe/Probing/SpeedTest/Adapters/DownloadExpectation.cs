namespace InternetMonitor.Probe.Probing.SpeedTest.Adapters;

/// <summary>How many body bytes a download response must carry.</summary>
/// <param name="Bytes">Exactly this many, or (when <paramref name="UpTo"/>) at most this many.</param>
/// <param name="UpTo">The body may end sooner (a file shorter than asked), and reading stops at <paramref name="Bytes"/>.</param>
public sealed record DownloadExpectation(long Bytes, bool UpTo);
