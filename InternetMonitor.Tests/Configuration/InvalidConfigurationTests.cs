using InternetMonitor.Probe.Configuration;
using InternetMonitor.Probe.Hosting;
using InternetMonitor.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace InternetMonitor.Tests.Configuration;

/// <summary>
/// One file per rejected configuration in InvalidConfigs/: its first line is a comment holding the exact
/// message the user must read, the rest is an appsettings fragment. Each is fed through the probe's real
/// start-up path (binding, then validation) and must produce that message and nothing else.
/// </summary>
[Trait(Layer.Key, Layer.Unit)]
public sealed class InvalidConfigurationTests
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Configuration", "InvalidConfigs");

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Folder, "*.json").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Invalid_configuration_stops_the_start_with_one_message_naming_the_key(string file)
    {
        var path = Path.Combine(Folder, file);
        var expected = File.ReadLines(path).First().TrimStart('/', ' ');

        var message = StartupError(path);

        // Whole messages in the failure text: xunit's string diff truncates them.
        Assert.True(expected == message, $"{file}\nexpected: {expected}\nactual:   {message ?? "(no error)"}");
    }

    [Fact]
    public void There_are_at_least_fifteen_rejected_configurations() =>
        Assert.True(Cases().Count >= 15, $"only {Cases().Count} cases in {Folder}");

    [Fact]
    public void The_default_configuration_is_valid() => Assert.Null(StartupError(path: null));

    private static string? StartupError(string? path)
    {
        var app = ProbeProgram.Build([], builder =>
        {
            if (path is not null)
            {
                builder.Configuration.AddJsonFile(path, optional: false, reloadOnChange: false);
            }
        });
        try
        {
            app.Services.GetRequiredService<IStartupValidator>().Validate();
            return null;
        }
        catch (Exception exception) when (ConfigurationErrorMessage.From(exception) is { } message)
        {
            return message;
        }
    }
}
