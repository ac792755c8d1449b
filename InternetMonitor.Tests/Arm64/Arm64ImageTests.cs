using InternetMonitor.AppHost.Integrations.Probe;
using InternetMonitor.Lab;
using InternetMonitor.Tests.AppHost;
using InternetMonitor.Tests.Support;

namespace InternetMonitor.Tests.Arm64;

/// <summary>
/// The compose project published for a Raspberry Pi (<c>publish --runtime linux-arm64</c>): docker-compose builds its
/// probe image on an x64 machine with no emulator registered, on an arm64 Debian base (<see cref="Arm64Root"/>, standing
/// in for runtime-deps:10.0), since building it runs nothing inside the image. The image's own file system, exported,
/// holds that publish byte for byte, and its probe runs under qemu-user with that file system as its root.
/// </summary>
[Collection(ContainerEngineCollection.Name)]
[Trait(Layer.Key, Layer.EndToEnd)]
public sealed class Arm64ImageTests(ContainerEngine engine)
{
    private const string Base = "internet-monitor-test/base-arm64:bookworm";
    private const string Image = "internet-monitor-test/probe:arm64";

    /// <summary>Published again into the same folder on each run, so the probe's build is reused while it is current.</summary>
    private static readonly string Project = Repository.PathOf(".cache", "arm64-compose");

    [Fact]
    public async Task The_arm64_image_builds_without_emulation_from_the_arm64_publish_and_its_probe_runs_under_qemu()
    {
        engine.Require();
        var emulator = Arm64Root.RequireEmulator();
        var root = await Arm64Root.GetAsync();
        var scratch = Directory.CreateTempSubdirectory("im-arm64-image-").FullName;
        string? container = null;
        try
        {
            var (code, output, error) = await PublishedStack.RunAppHostAsync(["publish", "--output", Project, "--runtime", Arm64Build.Runtime, "--Stack:Profiles="]); // one build at a time
            Assert.True(code == 0, $"publish --runtime {Arm64Build.Runtime} exited with {code}: {output}{error}");

            var app = Path.Combine(Project, ProbeImage.Folder, "app");
            Assert.True(Arm64Root.IsArm64Elf(Path.Combine(app, "InternetMonitor.Probe")));

            await BuildBaseAsync(root, scratch);
            await PublishedStack.SetAsync(Project, new Dictionary<string, string> { ["PROBE_BASE_IMAGE"] = Base, ["PROBE_IMAGE"] = Image });
            await engine.MustRunAsync("docker-compose", ["build", "probe"], TimeSpan.FromMinutes(5), Project);
            var inspected = await engine.MustRunAsync("docker", ["image", "inspect", Image, "--format", "{{.Os}}/{{.Architecture}} {{.Config.User}}"], TimeSpan.FromSeconds(30));
            Assert.Equal("linux/arm64 1654", inspected.Trim());

            // The image's file system, as a container of it holds it (created, never started: nothing arm64 runs in the engine).
            container = (await engine.MustRunAsync("docker", ["create", Image], TimeSpan.FromSeconds(30))).Trim();
            var archive = Path.Combine(scratch, "image.tar");
            var exported = Directory.CreateDirectory(Path.Combine(scratch, "image")).FullName;
            await engine.MustRunAsync("docker", ["export", "-o", archive, container], TimeSpan.FromMinutes(2));
            await TarAsync(["-C", exported, "-xf", archive]);

            AssertSameFiles(app, Path.Combine(exported, "app"));
            Assert.Equal("700 1654:1654", (await Command.RunAsync("stat", "-c", "%a %u:%g", Path.Combine(exported, "var", "lib", "internet-monitor"))).Trim());

            await EmulatedProbe.AssertServesAsync(Path.Combine(exported, "app", "InternetMonitor.Probe"), Arm64Root.Emulate(emulator, exported));
        }
        finally
        {
            if (container is not null)
            {
                await engine.RunAsync("docker", ["rm", container], TimeSpan.FromSeconds(30));
            }

            await engine.RunAsync("docker", ["rmi", Image, Base], TimeSpan.FromSeconds(30));
            await Command.TryRunAsync("rm", "-rf", scratch);
        }
    }

    /// <summary>An arm64 image of <paramref name="root"/>: unpacked by ADD from scratch, so that no arm64 program runs.</summary>
    private async Task BuildBaseAsync(string root, string scratch)
    {
        var context = Directory.CreateDirectory(Path.Combine(scratch, "base")).FullName;
        await TarAsync(["-C", root, "-cf", Path.Combine(context, "rootfs.tar"), "."]);
        await File.WriteAllLinesAsync(Path.Combine(context, "Dockerfile"), ["FROM scratch", "ADD rootfs.tar /"], TestContext.Current.CancellationToken);
        await engine.MustRunAsync("docker", ["build", "-q", "--platform", "linux/arm64", "-t", Base, context], TimeSpan.FromMinutes(5));
    }

    /// <summary>Runs tar (as root: owners and modes kept) with <paramref name="arguments"/>.</summary>
    private static async Task TarAsync(IReadOnlyList<string> arguments)
    {
        var (code, output, error) = await Command.TryRunAsync("tar", arguments, TimeSpan.FromMinutes(2));
        Assert.True(code == 0, $"tar {string.Join(' ', arguments)} exited with {code}: {output}{error}");
    }

    /// <summary>Every file of <paramref name="expected"/> is in <paramref name="actual"/> with the same bytes, and no other.</summary>
    private static void AssertSameFiles(string expected, string actual)
    {
        string[] Files(string folder) => [.. Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Select(file => Path.GetRelativePath(folder, file)).Order(StringComparer.Ordinal)];
        var names = Files(expected);
        Assert.NotEmpty(names);
        Assert.Equal(names, Files(actual));
        Assert.All(names, name => Assert.True(File.ReadAllBytes(Path.Combine(expected, name)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(actual, name))), $"{name} differs"));
    }
}
