using InternetMonitor.AppHost.Model;

namespace InternetMonitor.AppHost.Hosting;

/// <summary>A resource's arguments and environment for one start: its own, and the variables its references become.</summary>
public sealed record LaunchSpec(IReadOnlyList<string> Arguments, IReadOnlyList<KeyValuePair<string, string>> Environment)
{
    public static LaunchSpec For(Resource resource, ResourceContext context, Func<ResourceContext, IEnumerable<string>>? arguments = null)
    {
        ArgumentNullException.ThrowIfNull(resource);
        return new(
            [.. arguments is null ? resource.Arguments.SelectMany(argument => argument(context)) : arguments(context)],
            [.. resource.Environment.SelectMany(variables => variables(context)).Concat(StackModel.ReferenceVariables(resource, context))]);
    }
}
