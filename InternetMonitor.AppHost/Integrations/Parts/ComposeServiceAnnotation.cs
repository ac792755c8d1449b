using Aspire.Hosting.ApplicationModel;
using InternetMonitor.AppHost.Publishing;

namespace InternetMonitor.AppHost.Integrations.Parts;

/// <summary>
/// How a resource is written into the compose project, beyond what Aspire's model says: the .env variable that names its
/// image, the build context of an image built from this solution, its compose profile, where its data volume is
/// mounted, which parts of the rendered observability/ it reads (and its secrets), how its image checks its health, and the changes its
/// service needs (host mounts, privileges, a user).
/// </summary>
public sealed class ComposeServiceAnnotation(string imageVariable, string image, string tag) : IResourceAnnotation
{
    public string ImageVariable { get; } = imageVariable;

    public string Image { get; } = image;

    public string Tag { get; } = tag;

    public string Reference => $"{Image}:{Tag}";

    /// <summary>The path that answers 200 once it is ready, checked by its image's health check; null: none.</summary>
    public string? HealthPath { get; set; }

    /// <summary>The build context's folder in the published project (the probe's); null for an upstream image.</summary>
    public string? BuildContext { get; set; }

    /// <summary>The compose profile that switches it on, for a part that is optional; null when it always runs.</summary>
    public string? Profile { get; set; }

    /// <summary>Where its data is kept inside the container: a named volume <c>NAME-data</c> is mounted there.</summary>
    public string? DataPath { get; set; }

    /// <summary>Files or folders of the rendered observability/ it reads, relative to it, each mounted read-only.</summary>
    public List<string> Config { get; } = [];

    /// <summary>
    /// The folder of the rendered observability/ that holds its secrets (owner-only on the host): each file in it is
    /// mounted alone, read-only, at the same place under its configuration root; null: none.
    /// </summary>
    public string? SecretsFolder { get; set; }

    /// <summary>How the container checks its own health (a program its image holds).</summary>
    public ContainerHealthCheck HealthCheck { get; set; } = ContainerHealthCheck.Wget;

    /// <summary>Changes to its compose service after everything above is applied.</summary>
    public List<Action<ComposeService>> Customize { get; } = [];
}
