namespace InternetMonitor.AppHost.Model;

/// <summary>A port a resource listens on, under a name (<c>http</c> for its main one), as Aspire's endpoints are.</summary>
public sealed record Endpoint(string Name, int Port, string Scheme = "http")
{
    /// <summary>The URL at <paramref name="host"/>: what a dependent or a browser on this host opens.</summary>
    public Uri Url(string host) => new($"{Scheme}://{Address(host, Port)}/");

    /// <summary><c>host:port</c>, an IPv6 address in brackets (<c>[::1]:9090</c>), as listen flags and URLs write it.</summary>
    public static string Address(string host, int port)
    {
        ArgumentNullException.ThrowIfNull(host);
        // A compose variable (${LISTEN_ADDRESS:?...}) is written as it is.
        return host.Contains(':', StringComparison.Ordinal) && !host.StartsWith("${", StringComparison.Ordinal) ? $"[{host}]:{port}" : $"{host}:{port}";
    }
}
