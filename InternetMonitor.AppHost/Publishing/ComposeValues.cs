using System.Globalization;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using InternetMonitor.AppHost.Stack;

namespace InternetMonitor.AppHost.Publishing;

/// <summary>
/// A resource's arguments and environment for the compose project: its callbacks run for publishing, and the values
/// they give (strings, endpoint references, expressions) resolved to what the service sees on the host's network, as
/// Aspire.Hosting.Docker resolves them (that package is not available to this project).
/// </summary>
public static class ComposeValues
{
    /// <summary>The arguments its <c>WithArgs</c> callbacks give.</summary>
    public static async Task<IReadOnlyList<string>> ArgumentsAsync(IResource resource, StackLayout layout, DistributedApplicationExecutionContext execution, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var values = new List<object>();
        if (resource.TryGetAnnotationsOfType<CommandLineArgsCallbackAnnotation>(out var callbacks))
        {
            var context = new CommandLineArgsCallbackContext(values, resource, cancellationToken) { ExecutionContext = execution };
            foreach (var callback in callbacks)
            {
                await callback.Callback(context).ConfigureAwait(false);
            }
        }

        var arguments = new List<string>();
        foreach (var value in values)
        {
            arguments.Add(await ResolveAsync(value, resource, layout, cancellationToken).ConfigureAwait(false));
        }

        return arguments;
    }

    /// <summary>The variables its <c>WithEnvironment</c> and <c>WithReference</c> callbacks give.</summary>
    public static async Task<IReadOnlyDictionary<string, string>> EnvironmentAsync(IResource resource, StackLayout layout, DistributedApplicationExecutionContext execution, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var values = new Dictionary<string, object>(StringComparer.Ordinal);
        if (resource.TryGetEnvironmentVariables(out var callbacks))
        {
            var context = new EnvironmentCallbackContext(execution, resource, values, cancellationToken);
            foreach (var callback in callbacks)
            {
                await callback.Callback(context).ConfigureAwait(false);
            }
        }

        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in values)
        {
            environment[name] = await ResolveAsync(value, resource, layout, cancellationToken).ConfigureAwait(false);
        }

        return environment;
    }

    /// <summary>One value as <paramref name="from"/>'s service sees it.</summary>
    public static async Task<string> ResolveAsync(object value, IResource from, StackLayout layout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(layout);
        switch (value)
        {
            case string text:
                return text;
            case EndpointReference endpoint:
                return layout.Url(from, endpoint.Resource, endpoint.EndpointName).AbsoluteUri.TrimEnd('/');
            case EndpointReferenceExpression expression:
                var url = layout.Url(from, expression.Endpoint.Resource, expression.Endpoint.EndpointName);
                return expression.Property switch
                {
                    EndpointProperty.Url => url.AbsoluteUri.TrimEnd('/'),
                    EndpointProperty.Host or EndpointProperty.IPV4Host => url.Host,
                    EndpointProperty.Port or EndpointProperty.TargetPort => url.Port.ToString(CultureInfo.InvariantCulture),
                    EndpointProperty.HostAndPort => url.Authority,
                    EndpointProperty.Scheme => url.Scheme,
                    _ => throw new NotSupportedException($"{from.Name}: the endpoint property {expression.Property} has no value in a compose project"),
                };
            case ReferenceExpression expression:
                var arguments = new object[expression.ValueProviders.Count];
                for (var i = 0; i < arguments.Length; i++)
                {
                    arguments[i] = await ResolveAsync(expression.ValueProviders[i], from, layout, cancellationToken).ConfigureAwait(false);
                }

                return string.Format(CultureInfo.InvariantCulture, expression.Format, arguments);
            case IValueProvider provider:
                return await provider.GetValueAsync(cancellationToken).ConfigureAwait(false) ?? string.Empty;
            default:
                return Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty;
        }
    }
}
