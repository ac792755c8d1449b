namespace InternetMonitor.AppHost.Integrations.Alertmanager;

/// <summary>
/// The Alertmanager a configuration is rendered for: its version decides which fields may name a secret file
/// (0.26 added <c>bot_token_file</c> for Telegram), and <see cref="ConfigDirectory"/> is where it will find the
/// rendered folder (a path on this host, or inside a container).
/// </summary>
public sealed record AlertmanagerTarget(Version Version, string ConfigDirectory)
{
    /// <summary>Debian 12's prometheus-alertmanager.</summary>
    public static Version Debian12 { get; } = new(0, 25, 0);

    public bool ReadsTelegramTokenFromFile => Version >= new Version(0, 26, 0);
}
