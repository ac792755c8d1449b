using InternetMonitor.Probe.Configuration;
using Microsoft.Extensions.Options;

namespace InternetMonitor.Probe.Storage;

public static class DataFolderServiceCollectionExtensions
{
    /// <summary><c>Monitor:DataDirectory</c>, its default filled in (<see cref="DataFolder.Default()"/>) and validated at start.</summary>
    public static IServiceCollection AddDataFolder(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);

        // A setting of Monitor itself, not a section: declared as a scalar, so that the section check accepts it.
        services.AddSingleton(new KnownSection(DataFolderOptions.Key, typeof(string)));
        services.AddSingleton<IValidateOptions<DataFolderOptions>, DataFolderOptionsValidator>();
        services.AddOptions<DataFolderOptions>()
            .Bind(configuration.GetSection(OptionsRegistration.Root))
            .PostConfigure(options => options.DataDirectory ??= DataFolder.Default())
            .ValidateOnStart();
        return services;
    }

    /// <summary><paramref name="path"/> resolved against the data folder when relative (see <see cref="DataFolder.Resolve"/>).</summary>
    public static string InDataFolder(this IOptions<DataFolderOptions> folder, string path)
    {
        ArgumentNullException.ThrowIfNull(folder);
        return DataFolder.Resolve(folder.Value.DataDirectory, path);
    }
}
