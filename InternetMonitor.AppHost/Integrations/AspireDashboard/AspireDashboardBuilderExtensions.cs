using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using InternetMonitor.AppHost.Integrations.Parts;
using InternetMonitor.AppHost.Stack;

namespace InternetMonitor.AppHost.Integrations.AspireDashboard;

/// <summary>
/// The standalone Aspire dashboard, for the compose project only (profile <c>aspire-dashboard</c>, off by default): the
/// probe's traces there over OTLP. Under the AppHost, Aspire's own dashboard is the dashboard.
/// </summary>
public static class AspireDashboardBuilderExtensions
{
    /// <summary>Adds it when the stack is published; null when it runs (the AppHost has Aspire's own).</summary>
    public static IResourceBuilder<IStackPartResource>? AddComposeAspireDashboard(this IDistributedApplicationBuilder builder, string name, StackPorts ports)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(ports);
        var layout = builder.GetStack().Layout;
        if (layout.Run != StackRun.Compose)
        {
            return null;
        }

        IResourceBuilder<IStackPartResource> dashboard = builder.AddResource(new PartContainerResource(name))
            .WithImage(AspireDashboardImageTags.Image, AspireDashboardImageTags.Tag);
        return dashboard
            .WithHttpEndpoint(port: ports.AspireDashboard, targetPort: ports.AspireDashboard, isProxied: false)
            .WithHttpEndpoint(port: ports.AspireOtlpGrpc, targetPort: ports.AspireOtlpGrpc, name: "otlp-grpc", isProxied: false)
            .WithHttpEndpoint(port: ports.AspireOtlpHttp, targetPort: ports.AspireOtlpHttp, name: "otlp-http", isProxied: false)
            .WithAnnotation(new ComposeServiceAnnotation("ASPIRE_DASHBOARD_IMAGE", AspireDashboardImageTags.Image, AspireDashboardImageTags.Tag)
            {
                Profile = "aspire-dashboard",
                HealthCheck = ContainerHealthCheck.None, // a distroless image: nothing to run a check with
            })
            .WithEnvironment(context =>
            {
                context.EnvironmentVariables["ASPNETCORE_URLS"] = $"http://{layout.Address(ports.AspireDashboard)}";
                context.EnvironmentVariables["DOTNET_DASHBOARD_OTLP_ENDPOINT_URL"] = $"http://{layout.Address(ports.AspireOtlpGrpc)}";
                context.EnvironmentVariables["DOTNET_DASHBOARD_OTLP_HTTP_ENDPOINT_URL"] = $"http://{layout.Address(ports.AspireOtlpHttp)}";
                // The probe sends without a key; the page itself asks for the token the dashboard logs at start.
                context.EnvironmentVariables["Dashboard__Otlp__AuthMode"] = "Unsecured";
            });
    }
}
