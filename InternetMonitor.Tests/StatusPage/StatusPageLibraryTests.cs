using System.Net;
using System.Text.Json;
using InternetMonitor.Tests.Support;

namespace InternetMonitor.Tests.StatusPage;

/// <summary>
/// The charting library vendored in StatusPage/uplot/ is the version package.json pins, whole, and the probe serves
/// exactly those files: a refresh that copied half of it, or a build that embedded something else, fails here.
/// </summary>
[Trait(Layer.Key, Layer.Unit)]
public sealed class StatusPageLibraryTests
{
    private static readonly string Folder = Repository.PathOf("InternetMonitor.Probe", "StatusPage");

    [Fact]
    public void The_vendored_files_are_the_version_package_json_pins_with_its_licence()
    {
        using var package = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "package.json")));
        using var locked = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "package-lock.json")));
        var pinned = package.RootElement.GetProperty("dependencies").GetProperty("uplot").GetString();

        Assert.Equal(pinned, locked.RootElement.GetProperty("packages").GetProperty("node_modules/uplot").GetProperty("version").GetString());
        Assert.StartsWith($"/*! https://github.com/leeoniya/uPlot (v{pinned}) */", File.ReadAllText(Path.Combine(Folder, "uplot", "uPlot.iife.min.js")), StringComparison.Ordinal);
        Assert.Contains(".uplot", File.ReadAllText(Path.Combine(Folder, "uplot", "uPlot.min.css")), StringComparison.Ordinal);
        Assert.StartsWith("The MIT License", File.ReadAllText(Path.Combine(Folder, "uplot", "LICENSE")), StringComparison.Ordinal);
        Assert.Contains($"uPlot](https://github.com/leeoniya/uPlot) {pinned}", File.ReadAllText(Path.Combine(Folder, "uplot", "README.md")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/status/uplot.js", "uPlot.iife.min.js", "text/javascript")]
    [InlineData("/status/uplot.css", "uPlot.min.css", "text/css")]
    public async Task The_probe_serves_the_vendored_files_byte_for_byte(string path, string file, string mediaType)
    {
        await using var probe = await ProbeHost.StartAsync();
        using var client = new HttpClient { BaseAddress = ProbeHost.BaseAddress(probe) };

        using var response = await client.GetAsync(new Uri(path, UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(await File.ReadAllTextAsync(Path.Combine(Folder, "uplot", file), TestContext.Current.CancellationToken), await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }
}
