using InternetMonitor.AppHost.Model;

namespace InternetMonitor.AppHost.Hosting;

/// <summary>Declares one resource, in the shape of Aspire's <c>IResourceBuilder</c>: each call adds to it and returns it.</summary>
public sealed class ResourceBuilder(Resource resource)
{
    public Resource Resource { get; } = resource;

    public ResourceBuilder WithHttpEndpoint(int port, string name = "http")
    {
        Resource.Endpoints.Add(new Endpoint(name, port));
        return this;
    }

    /// <summary>Ready once a GET of <paramref name="path"/> on its http endpoint answers 2xx.</summary>
    public ResourceBuilder WithHttpHealthCheck(string path)
    {
        Resource.HealthPath = path;
        return this;
    }

    /// <summary>Prometheus scrapes it as <paramref name="job"/> (its targets file is written when it is available).</summary>
    public ResourceBuilder WithScrapeJob(string job)
    {
        Resource.ScrapeJob = job;
        return this;
    }

    /// <summary>Before anything starts, its program is run with <paramref name="arguments"/> to check its settings.</summary>
    public ResourceBuilder WithSettingsCheck(Func<ResourceContext, IEnumerable<string>> arguments)
    {
        Resource.SettingsCheck = arguments;
        return this;
    }

    public ResourceBuilder WithPackage(string package)
    {
        Resource.Package = package;
        return this;
    }

    public ResourceBuilder WaitFor(ResourceBuilder other)
    {
        ArgumentNullException.ThrowIfNull(other);
        Resource.WaitsFor.Add(other.Resource);
        return this;
    }

    /// <summary>Its endpoints as <c>services__NAME__http__0</c> variables (to be started first, it must also be waited for).</summary>
    public ResourceBuilder WithReference(ResourceBuilder other)
    {
        ArgumentNullException.ThrowIfNull(other);
        Resource.References.Add(other.Resource);
        return this;
    }

    public ResourceBuilder WithArgs(Func<ResourceContext, IEnumerable<string>> arguments)
    {
        Resource.Arguments.Add(arguments);
        return this;
    }

    public ResourceBuilder WithEnvironment(Func<ResourceContext, IEnumerable<KeyValuePair<string, string>>> variables)
    {
        Resource.Environment.Add(variables);
        return this;
    }

    public ResourceBuilder WithEnvironment(string name, Func<ResourceContext, string?> value)
    {
        Resource.Environment.Add(context => value(context) is { } text ? [new(name, text)] : []);
        return this;
    }

    /// <summary>Its container: the upstream image, pinned; the .env variable <paramref name="variable"/> may name another.</summary>
    public ResourceBuilder WithImage(string image, string tag, string variable)
    {
        Resource.Container = new ContainerSpec(image, tag) { ImageVariable = variable };
        return this;
    }

    /// <summary>Its image is built from the published project's folder <paramref name="context"/> (a Dockerfile there).</summary>
    public ResourceBuilder WithDockerfile(string context)
    {
        Container.BuildContext = context;
        return this;
    }

    /// <summary>In the compose project, it runs only when the profile <paramref name="profile"/> is on (COMPOSE_PROFILES in .env).</summary>
    public ResourceBuilder WithProfile(string profile)
    {
        Container.Profile = profile;
        return this;
    }

    /// <summary>A named volume <c>NAME-data</c> at <paramref name="path"/> inside its container: its data directory there.</summary>
    public ResourceBuilder WithDataVolume(string path)
    {
        Container.DataPath = path;
        return this;
    }

    /// <summary>Parts of the rendered observability/ it reads (files or folders), mounted read-only into its container.</summary>
    public ResourceBuilder WithConfig(params string[] relative)
    {
        Container.Config.AddRange(relative);
        return this;
    }

    public ResourceBuilder WithContainerHealthCheck(ContainerHealthCheck check)
    {
        Container.HealthCheck = check;
        return this;
    }

    /// <summary>Changes its compose service, as Aspire's <c>PublishAsDockerComposeService</c> does.</summary>
    public ResourceBuilder PublishAsComposeService(Action<Publishing.ComposeService> configure)
    {
        Container.Customize.Add(configure);
        return this;
    }

    private ContainerSpec Container => Resource.Container ?? throw new InvalidOperationException($"{Resource.Name} has no image: call WithImage first");
}
