using InternetMonitor.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace InternetMonitor.Tests.AppHost;

/// <summary>
/// The default compose project, its Grafana password set, as <c>docker-compose config</c> prints it: made once for
/// <see cref="PublishedManifestTests"/>, which only read it.
/// </summary>
public sealed class PublishedManifest : IAsyncLifetime
{
    /// <summary>The project's folder.</summary>
    public string Project { get; private set; } = string.Empty;

    /// <summary>Its .env.</summary>
    public Dictionary<string, string> Env { get; private set; } = [];

    /// <summary>The services of the interpolated manifest, by name.</summary>
    public YamlMappingNode Services { get; private set; } = new();

    /// <summary>Why the manifest could not be read here (no docker-compose), or null.</summary>
    public string? Missing { get; private set; }

    public async ValueTask InitializeAsync()
    {
        if (Prerequisite.FindProgram("docker-compose") is null)
        {
            Missing = "needs 'docker-compose' (Debian package docker-compose; `make test` installs it)";
            return;
        }

        Project = await PublishedStack.CopyAsync();
        await PublishedStack.SetAsync(Project, new Dictionary<string, string> { ["GRAFANA_ADMIN_PASSWORD"] = "correct-horse" });
        Env = PublishTests.ReadEnv(Project);
        var (code, output, error) = await PublishTests.ComposeAsync(Project, "config");
        Assert.True(code == 0, error);
        Services = (YamlMappingNode)PublishTests.Root(output)["services"];
    }

    /// <summary>The service <paramref name="name"/>.</summary>
    public YamlMappingNode Service(string name) => (YamlMappingNode)Services[name];

    /// <summary>Skips (or fails under CI) when the manifest could not be read.</summary>
    public void Require() => Prerequisite.Require(Missing is null, Missing ?? string.Empty);

    public ValueTask DisposeAsync()
    {
        if (Project.Length > 0)
        {
            Directory.Delete(Project, recursive: true);
        }

        return ValueTask.CompletedTask;
    }
}
