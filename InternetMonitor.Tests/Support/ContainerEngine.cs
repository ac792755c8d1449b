using System.Diagnostics;
using System.Globalization;
using System.Text;
using InternetMonitor.Lab;

namespace InternetMonitor.Tests.Support;

/// <summary>
/// A Docker engine of the tests' own, inside a network namespace that holds only loopback, so that no container packet
/// can leave the machine and "no internet" is the truth inside it. Its own data root and socket, in a mount namespace
/// of its own whose mounts are shared (as on a systemd host: node-exporter's rslave mount needs that) but never reach
/// this host's, stopped by its pid file. No image can be pulled here, so it holds local ones: a Debian base made by debootstrap with Prometheus,
/// Alertmanager and node-exporter from Debian (cached under .cache/, which git ignores) and, built on it, stand-ins
/// for the upstream images with their users, entrypoints and data folders.
/// </summary>
public sealed class ContainerEngine : IAsyncLifetime
{
    public const string Base = "internet-monitor-test/base:bookworm";
    public const string Prometheus = "internet-monitor-test/prometheus:local";
    public const string Alertmanager = "internet-monitor-test/alertmanager:local";
    public const string NodeExporter = "internet-monitor-test/node-exporter:local";
    public const string Gate = "internet-monitor-test/vmauth:local";

    private static readonly string CachedBase = Repository.PathOf(".cache", "container-base", "bookworm-stack-vm.tar");
    private string? _root;
    private string? _forwarding;
    private Process? _dockerd;

    public NetworkNamespace Network { get; private set; } = null!;

    /// <summary>DOCKER_HOST for every docker and compose command of the tests.</summary>
    public string Host => $"unix://{_root}/docker.sock";

    /// <summary>Why the engine could not be made here (a skip, or a failure under CI), or null once it runs.</summary>
    public string? Missing { get; private set; }

    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string> { ["DOCKER_HOST"] = Host };

    public async ValueTask InitializeAsync()
    {
        var absent = new[] { ("dockerd", "docker.io"), ("docker-compose", "docker-compose"), ("debootstrap", "debootstrap"), ("unshare", "util-linux"), ("nsenter", "util-linux") }
            .Where(program => Prerequisite.FindProgram(program.Item1) is null).Select(program => $"{program.Item1} ({program.Item2})").ToList();
        if (!Prerequisite.IsRoot || absent.Count > 0)
        {
            Missing = Prerequisite.IsRoot ? $"needs {string.Join(", ", absent)}: `make test` installs them" : "needs root (a namespace and a Docker engine)";
            return;
        }

        _forwarding = await File.ReadAllTextAsync("/proc/sys/net/ipv4/ip_forward").ConfigureAwait(false);
        Network = await NetworkNamespace.CreateAsync().ConfigureAwait(false);
        // What systemd sets on a host (and the compose project's probe relies on): unprivileged ICMP sockets for every group.
        await Network.SysctlAsync("net.ipv4.ping_group_range", "0 2147483647").ConfigureAwait(false);
        _root = Directory.CreateTempSubdirectory("im-docker-").FullName;
        var engine = new ProcessStartInfo("nsenter")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            ArgumentList =
            {
                // A mount namespace that receives the host's mounts but sends none back, with its own mounts shared among
                // themselves: what a systemd host gives dockerd, and nothing it mounts reaches this host's namespace.
                $"--net=/var/run/netns/{Network.Name}", "unshare", "--mount", "--propagation", "slave",
                "sh", "-c", "mount --make-rshared / && exec dockerd \"$@\"", "dockerd", "--data-root", Path.Combine(_root, "data"), "--exec-root", Path.Combine(_root, "exec"),
                "-H", Host, "--pidfile", Path.Combine(_root, "dockerd.pid"), "--log-level", "warn",
            },
        };
        var log = new StringBuilder();
        var dockerd = _dockerd = Process.Start(engine) ?? throw new LabException("dockerd did not start");
        dockerd.OutputDataReceived += (_, line) => Append(log, line.Data);
        dockerd.ErrorDataReceived += (_, line) => Append(log, line.Data);
        dockerd.BeginOutputReadLine();
        dockerd.BeginErrorReadLine();
        await Polling.UntilAsync(
            async () => (await RunAsync("docker", ["info", "--format", "{{.ServerVersion}}"], TimeSpan.FromSeconds(10)).ConfigureAwait(false)).ExitCode == 0,
            answers => answers,
            "dockerd answering",
            TimeSpan.FromSeconds(60),
            TimeSpan.FromMilliseconds(250),
            () => dockerd.HasExited ? "it exited" : null,
            _ => Task.FromResult(Read(log))).ConfigureAwait(false);

        await ImportBaseAsync().ConfigureAwait(false);
        await BuildStandInAsync(Prometheus, "/usr/bin/prometheus", "/prometheus").ConfigureAwait(false);
        await BuildStandInAsync(Alertmanager, "/usr/bin/prometheus-alertmanager", "/alertmanager").ConfigureAwait(false);
        await BuildStandInAsync(NodeExporter, "/usr/bin/prometheus-node-exporter", null).ConfigureAwait(false);
        await BuildStandInAsync(Gate, "/usr/bin/vmauth", null).ConfigureAwait(false);
    }

    /// <summary>Skips (or fails under CI) when the engine could not be made.</summary>
    public void Require() => Prerequisite.Require(Missing is null, Missing ?? string.Empty);

    /// <summary>Runs <paramref name="program"/> against this engine (DOCKER_HOST set), in <paramref name="directory"/>.</summary>
    public async Task<(int ExitCode, string Output, string Error)> RunAsync(string program, IReadOnlyList<string> arguments, TimeSpan deadline, string? directory = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = directory ?? System.Environment.CurrentDirectory };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOCKER_HOST"] = Host;
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new LabException($"{program} did not start");
        var output = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var error = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using var timeout = new CancellationTokenSource(deadline);
        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', arguments)} did not finish within {deadline.TotalSeconds:0} s");
        }

        return (process.ExitCode, await output.ConfigureAwait(false), await error.ConfigureAwait(false));
    }

    /// <summary>Like <see cref="RunAsync"/>, and fails the test with the program's output when it fails.</summary>
    public async Task<string> MustRunAsync(string program, IReadOnlyList<string> arguments, TimeSpan deadline, string? directory = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var (code, output, error) = await RunAsync(program, arguments, deadline, directory, environment).ConfigureAwait(false);
        return code == 0 ? output : throw new LabException($"{program} {string.Join(' ', arguments)} exited with {code}: {output}{error}");
    }

    /// <summary>The names of what the engine holds: containers (all states), volumes and networks beyond its own three.</summary>
    public async Task<IReadOnlyList<string>> LeftoversAsync()
    {
        var containers = await MustRunAsync("docker", ["ps", "-a", "--format", "container {{.Names}}"], TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        var volumes = await MustRunAsync("docker", ["volume", "ls", "--format", "volume {{.Name}}"], TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        var networks = await MustRunAsync("docker", ["network", "ls", "--format", "network {{.Name}}"], TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        return [.. (containers + volumes + networks).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(line => line is not ("network bridge" or "network host" or "network none"))];
    }

    public async ValueTask DisposeAsync()
    {
        if (_root is null)
        {
            return;
        }

        var pidFile = Path.Combine(_root, "dockerd.pid");
        if (File.Exists(pidFile) && int.TryParse(await File.ReadAllTextAsync(pidFile).ConfigureAwait(false), NumberStyles.Integer, CultureInfo.InvariantCulture, out var pid))
        {
            // Stopped by its pid: it stops its containers and its containerd, then exits; SIGKILL after 30 s.
            await Command.TryRunAsync("kill", "-TERM", pid.ToString(CultureInfo.InvariantCulture)).ConfigureAwait(false);
            await Polling.HoldsAsync(() => Task.FromResult(!Directory.Exists($"/proc/{pid}")), TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(200)).ConfigureAwait(false);

            await Command.TryRunAsync("kill", "-KILL", pid.ToString(CultureInfo.InvariantCulture)).ConfigureAwait(false);
        }

        _dockerd?.Dispose();
        await Network.DisposeAsync().ConfigureAwait(false);
        // Its mounts went with its mount namespace; what is left are plain files.
        await Command.TryRunAsync("rm", "-rf", _root).ConfigureAwait(false);
        var forwarding = await File.ReadAllTextAsync("/proc/sys/net/ipv4/ip_forward").ConfigureAwait(false);
        if (forwarding != _forwarding)
        {
            throw new LabException($"net.ipv4.ip_forward of this host changed from {_forwarding?.Trim()} to {forwarding.Trim()}");
        }
    }

    private async Task ImportBaseAsync()
    {
        if (!File.Exists(CachedBase))
        {
            // About 40 s and 700 MB, once: Debian's minimal system with the programs (VictoriaMetrics' vmauth, the central
            // machine's gate, among them) and what their health checks use.
            var rootfs = Directory.CreateTempSubdirectory("im-debootstrap-").FullName;
            try
            {
                var (code, output, error) = await RunAsync("debootstrap", ["--variant=minbase", "--include=prometheus,prometheus-alertmanager,prometheus-node-exporter,victoria-metrics,ca-certificates,wget",
                    "bookworm", rootfs, "http://deb.debian.org/debian"], TimeSpan.FromMinutes(10)).ConfigureAwait(false);
                if (code != 0)
                {
                    throw new LabException($"debootstrap failed ({code}): {output}{error}");
                }

                Directory.CreateDirectory(Path.GetDirectoryName(CachedBase)!);
                await MustRunAsync("tar", ["-C", rootfs, "-cf", CachedBase + ".partial", "."], TimeSpan.FromMinutes(5)).ConfigureAwait(false);
                File.Move(CachedBase + ".partial", CachedBase, overwrite: true);
            }
            finally
            {
                await Command.TryRunAsync("rm", "-rf", rootfs).ConfigureAwait(false);
            }
        }

        await MustRunAsync("docker", ["import", CachedBase, Base], TimeSpan.FromMinutes(5)).ConfigureAwait(false);
    }

    /// <summary>An image standing in for an upstream one: its entrypoint, its unprivileged user, its data folder owned by that user.</summary>
    private async Task BuildStandInAsync(string name, string program, string? data)
    {
        var context = Directory.CreateTempSubdirectory("im-standin-").FullName;
        try
        {
            var lines = new List<string> { $"FROM {Base}" };
            if (data is not null)
            {
                lines.Add($"RUN mkdir -p {data} && chown 65534:65534 {data}");
            }

            lines.AddRange(["USER 65534", $"ENTRYPOINT [\"{program}\"]"]);
            await File.WriteAllLinesAsync(Path.Combine(context, "Dockerfile"), lines).ConfigureAwait(false);
            await MustRunAsync("docker", ["build", "-q", "-t", name, context], TimeSpan.FromMinutes(5)).ConfigureAwait(false);
        }
        finally
        {
            Directory.Delete(context, recursive: true);
        }
    }

    private static void Append(StringBuilder text, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (text)
        {
            text.AppendLine(line);
        }
    }

    private static string Read(StringBuilder text)
    {
        lock (text)
        {
            return text.ToString();
        }
    }
}
