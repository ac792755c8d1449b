namespace InternetMonitor.AppHost.Integrations.AspireDashboard;

/// <summary>The standalone Aspire dashboard's image for the compose project: Microsoft tags it by minor version, so patches arrive with it.</summary>
public static class AspireDashboardImageTags
{
    public const string Image = "mcr.microsoft.com/dotnet/aspire-dashboard";

    public const string Tag = "9.1";
}
