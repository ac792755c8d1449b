namespace InternetMonitor.Probe.Probing.SpeedTest;

public enum SpeedTestDirection
{
    Download,
    Upload,
}

/// <summary>The part of a run a failure stopped: the idle latency before any transfer, or a direction.</summary>
public enum SpeedTestPhase
{
    Latency,
    Download,
    Upload,
}

public static class SpeedTestLabels
{
    public static string Label(this SpeedTestDirection direction) => direction == SpeedTestDirection.Download ? "download" : "upload";

    public static string Label(this SpeedTestPhase phase) => phase switch
    {
        SpeedTestPhase.Latency => "latency",
        SpeedTestPhase.Download => "download",
        _ => "upload",
    };

    public static SpeedTestPhase Phase(this SpeedTestDirection direction) =>
        direction == SpeedTestDirection.Download ? SpeedTestPhase.Download : SpeedTestPhase.Upload;
}
