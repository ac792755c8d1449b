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
}
