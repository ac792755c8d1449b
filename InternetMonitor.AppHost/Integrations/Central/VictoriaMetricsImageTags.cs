namespace InternetMonitor.AppHost.Integrations.Central;

/// <summary>
/// VictoriaMetrics' upstream images, pinned to one release for all three: the store, vmalert and vmauth (the gate). The
/// version is Debian 12's (victoria-metrics 1.79.5, an LTS line), the one this project's tests run.
/// </summary>
public static class VictoriaMetricsImageTags
{
    public const string Store = "victoriametrics/victoria-metrics";

    public const string Rules = "victoriametrics/vmalert";

    public const string Gate = "victoriametrics/vmauth";

    public const string Tag = "v1.79.5";
}
