namespace InternetMonitor.AppHost.Model;

/// <summary>
/// The declared stack, checked before anything starts: names unique, no two endpoints on one port, no cycle among the
/// resources one waits for; then the order to start them in and the variables their references become.
/// </summary>
public sealed class StackModel
{
    public StackModel(IReadOnlyList<Resource> resources)
    {
        ArgumentNullException.ThrowIfNull(resources);
        Resources = resources;
    }

    public IReadOnlyList<Resource> Resources { get; }

    /// <summary>Every problem of the declaration, one sentence each; empty when it can start.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        foreach (var duplicate in Resources.GroupBy(resource => resource.Name, StringComparer.Ordinal).Where(group => group.Count() > 1))
        {
            errors.Add($"two resources are named {duplicate.Key}");
        }

        var ports = Resources.SelectMany(resource => resource.Endpoints.Select(endpoint => (Resource: resource, Endpoint: endpoint)));
        foreach (var clash in ports.GroupBy(pair => pair.Endpoint.Port).Where(group => group.Count() > 1))
        {
            errors.Add($"port {clash.Key} is claimed by {string.Join(" and ", clash.Select(pair => $"{pair.Resource.Name} ({pair.Endpoint.Name})"))}");
        }

        foreach (var (resource, endpoint) in ports.Where(pair => pair.Endpoint.Port is < 1 or > 65535))
        {
            errors.Add($"{resource.Name} ({endpoint.Name}) has port {endpoint.Port}, which is not between 1 and 65535");
        }

        foreach (var resource in Resources)
        {
            foreach (var other in resource.WaitsFor.Concat(resource.References).Where(other => !Resources.Contains(other)))
            {
                errors.Add($"{resource.Name} refers to {other.Name}, which is not part of the stack");
            }
        }

        if (Cycle() is { } cycle)
        {
            errors.Add($"the resources wait for each other in a cycle: {string.Join(" -> ", cycle)}");
        }

        return errors;
    }

    /// <summary>Every resource after all it waits for (declaration order among equals); the model must be valid.</summary>
    public IReadOnlyList<Resource> StartOrder()
    {
        var ordered = new List<Resource>();
        var placed = new HashSet<Resource>();
        while (ordered.Count < Resources.Count)
        {
            var next = Resources.FirstOrDefault(resource => !placed.Contains(resource) && resource.WaitsFor.All(placed.Contains))
                ?? throw new InvalidOperationException("the resources wait for each other in a cycle");
            ordered.Add(next);
            placed.Add(next);
        }

        return ordered;
    }

    /// <summary>
    /// The Aspire-style variables a resource's references become: <c>services__prometheus__http__0=http://host:9090</c>,
    /// read by Microsoft.Extensions.ServiceDiscovery; a reference to a resource that is not available is left out.
    /// </summary>
    public static IEnumerable<KeyValuePair<string, string>> ReferenceVariables(Resource resource, ResourceContext context)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(context);
        foreach (var reference in resource.References.Where(context.IsAvailable))
        {
            foreach (var endpoint in reference.Endpoints)
            {
                yield return new($"services__{reference.Name}__{endpoint.Name}__0", endpoint.Url(context.Host).AbsoluteUri.TrimEnd('/'));
            }
        }
    }

    private List<string>? Cycle()
    {
        var state = new Dictionary<Resource, int>(); // 1: on the path, 2: done
        var path = new List<Resource>();

        List<string>? Visit(Resource resource)
        {
            state[resource] = 1;
            path.Add(resource);
            foreach (var next in resource.WaitsFor)
            {
                if (state.GetValueOrDefault(next) == 1)
                {
                    return [.. path.Skip(path.IndexOf(next)).Select(r => r.Name), next.Name];
                }

                if (state.GetValueOrDefault(next) == 0 && Visit(next) is { } found)
                {
                    return found;
                }
            }

            path.RemoveAt(path.Count - 1);
            state[resource] = 2;
            return null;
        }

        foreach (var resource in Resources)
        {
            if (state.GetValueOrDefault(resource) == 0 && Visit(resource) is { } cycle)
            {
                return cycle;
            }
        }

        return null;
    }
}
