namespace InternetMonitor.AppHost.Integrations.Parts;

/// <summary>
/// What a part is, whichever way it runs: the programs it may be on PATH (Debian's name first), the package that
/// provides it, its image (pinned) and the .env variable that may name another, its port and its health path.
/// </summary>
public sealed record StackPart(string[] Programs, string Package, string Image, string Tag, string ImageVariable, int Port, string HealthPath)
{
    /// <summary>What to do about a missing program, in a few words.</summary>
    public string Hint => Package.Length > 0 ? $"apt install {Package}" : "not packaged for Debian: install its upstream release on PATH";
}
