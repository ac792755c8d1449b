using InternetMonitor.Probe.Configuration;
using InternetMonitor.Probe.Probing.SpeedTest.Budget;
using InternetMonitor.Probe.Recording;
using InternetMonitor.Probe.Scheduling;
using InternetMonitor.Probe.Storage;
using Microsoft.Extensions.Options;

namespace InternetMonitor.Probe.Probing.SpeedTest;

public static class SpeedTestServiceCollectionExtensions
{
    public static IServiceCollection AddSpeedTest(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<SpeedTestOptions, SpeedTestOptionsValidator>(SpeedTestOptions.Section)
            .Bind(OptionsRegistration.Section(configuration, SpeedTestOptions.Section))
            .PostConfigure<IOptions<DataFolderOptions>>((options, folder) => options.Budget.StatePath = folder.InDataFolder(options.Budget.StatePath));
        services.AddSingleton<IProber<SpeedTestPlan, SpeedTestResult>, SpeedTestEngine>();
        services.AddSingleton<IRecorder<SpeedTestResult>, SpeedTestMetricsRecorder>();
        services.AddSingleton<IRecorder<SpeedTestResult>, SpeedTestLogRecorder>();
        services.AddSingleton<IRecorder<SpeedTestResult>, SpeedTestTraceRecorder>();
        services.AddSingleton<DataBudgetMetrics>();
        services.AddSingleton(provider => new DataBudgetStore(
            provider.GetRequiredService<IOptions<SpeedTestOptions>>().Value.Budget.StatePath,
            provider.GetRequiredService<ILogger<DataBudgetStore>>()));
        services.AddSingleton<DataBudget>();
        services.AddSingleton<SpeedTestJob>();
        services.AddSingleton<IScheduledJob>(provider => provider.GetRequiredService<SpeedTestJob>());
        return services;
    }
}
