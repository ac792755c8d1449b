namespace InternetMonitor.Probe.Campaigns;

public static class CampaignServiceCollectionExtensions
{
    public static IServiceCollection AddCampaigns(this IServiceCollection services)
    {
        services.AddSingleton<CampaignRunner>();
        services.AddHostedService(provider => provider.GetRequiredService<CampaignRunner>());
        return services;
    }
}
