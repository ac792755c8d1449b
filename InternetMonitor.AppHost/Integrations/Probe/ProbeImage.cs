using System.Diagnostics;
using System.Formats.Tar;
using System.Globalization;
using System.Reflection;

namespace InternetMonitor.AppHost.Integrations.Probe;

/// <summary>
/// The probe's image build context in the published project: its self-contained build (app/, no .NET needed in the
/// image), a tar of its data folder, and a Dockerfile that puts them on a base image given as a build argument, the
/// upstream .NET runtime-deps image unless .env names another (a local base where no registry is reachable). Building
/// it runs no program inside the image, so that it builds for another architecture (an arm64 image on an x64 machine).
/// </summary>
public static class ProbeImage
{
    public const string Folder = "probe";
    public const string Name = "internet-monitor/probe";
    public const string DataDirectory = "/var/lib/internet-monitor";
    public const string AppDirectory = "/app";
    public const string DefaultBase = "mcr.microsoft.com/dotnet/runtime-deps:10.0";

    /// <summary>The build context's tar of the data folder, which ADD unpacks with its owner and mode.</summary>
    public const string DataFolderArchive = "data-folder.tar";

    /// <summary>The probe image's tag: this version of Internet Monitor.</summary>
    public static string Tag { get; } = (typeof(ProbeImage).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0").Split('+')[0];

    /// <summary>The unprivileged user of the .NET images (their APP_UID).</summary>
    public const string User = "1654";

    public const string Dockerfile = $$"""
        # The Internet Monitor probe: its self-contained build (app/, written by publish) on an image with no .NET of
        # its own. BASE_IMAGE is the upstream .NET runtime-deps image unless .env's PROBE_BASE_IMAGE names another.
        ARG BASE_IMAGE={{DefaultBase}}
        FROM ${BASE_IMAGE}
        COPY app/ /app/
        # Its data folder (the named volume's first content), owner-only: the probe's user writes there. A tar that
        # holds that folder alone (owner {{User}}, mode 0700) rather than a RUN step, so that the build runs nothing
        # inside the image and an arm64 image builds on an x64 machine without emulation.
        ADD {{DataFolderArchive}} /
        ENV Monitor__DataDirectory={{DataDirectory}}
        WORKDIR /app
        # The .NET images' unprivileged user: pings go through unprivileged ICMP sockets (net.ipv4.ping_group_range).
        USER {{User}}
        EXPOSE 8000
        ENTRYPOINT ["/app/InternetMonitor.Probe"]

        """;

    /// <summary>
    /// Writes the build context into <paramref name="directory"/>: the Dockerfile, the data folder's tar, and the probe published for
    /// <paramref name="runtime"/> by <c>dotnet publish</c> (its output on <paramref name="log"/>), unless the context
    /// already holds that build (the probe's build output is no newer than the one published there). Returns the
    /// problem, or null.
    /// </summary>
    public static async Task<string?> WriteAsync(string project, string directory, string runtime, TextWriter log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(log);
        Directory.CreateDirectory(directory);
        var stamp = Path.Combine(directory, ".built-from");
        var built = string.Create(CultureInfo.InvariantCulture, $"{File.GetLastWriteTimeUtc(ProbeSettingsCheck.ProbeAssembly):O} {runtime}\n");
        if (File.Exists(stamp) && await File.ReadAllTextAsync(stamp, cancellationToken).ConfigureAwait(false) == built && File.Exists(Path.Combine(directory, "app", "InternetMonitor.Probe")))
        {
            await WriteRecipeAsync(directory, cancellationToken).ConfigureAwait(false);
            return null;
        }

        if (!File.Exists(project))
        {
            return $"the probe's project {project} is not here: publish runs from a clone of this repository";
        }

        await log.WriteLineAsync($"Publishing the probe for its image ({runtime}): dotnet publish, self-contained").ConfigureAwait(false);
        await WriteRecipeAsync(directory, cancellationToken).ConfigureAwait(false);
        var app = Path.Combine(directory, "app");
        if (Directory.Exists(app))
        {
            Directory.Delete(app, recursive: true);
        }

        var start = new ProcessStartInfo(DotnetHost.Path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            ArgumentList =
            {
                "publish", project, "-c", "Release", "-r", runtime, "--self-contained", "-o", app, "--nologo",
                "-p:DebugType=none", "-p:GenerateDocumentationFile=false", "--disable-build-servers",
            },
        };
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopped while it builds: the build goes too, and no half-written app/ is marked as built.
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        var text = await output.ConfigureAwait(false) + await errors.ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            await log.WriteLineAsync(text).ConfigureAwait(false);
            return $"dotnet publish of the probe for {runtime} failed (exit {process.ExitCode}); its output is above";
        }

        if (!File.Exists(Path.Combine(app, "InternetMonitor.Probe")))
        {
            return $"dotnet publish wrote no InternetMonitor.Probe into {app}";
        }

        await File.WriteAllTextAsync(stamp, built, cancellationToken).ConfigureAwait(false);
        return null;
    }

    /// <summary>Writes the Dockerfile and the data folder's tar (the same bytes on every publish: its time is the epoch).</summary>
    private static async Task WriteRecipeAsync(string directory, CancellationToken cancellationToken)
    {
        await File.WriteAllTextAsync(Path.Combine(directory, "Dockerfile"), Dockerfile, cancellationToken).ConfigureAwait(false);
        var archive = File.Create(Path.Combine(directory, DataFolderArchive));
        await using (archive.ConfigureAwait(false))
        {
            var writer = new TarWriter(archive, TarEntryFormat.Ustar, leaveOpen: true);
            await using (writer.ConfigureAwait(false))
            {
                var folder = new UstarTarEntry(TarEntryType.Directory, DataDirectory.TrimStart('/') + "/")
                {
                    Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute,
                    Uid = int.Parse(User, CultureInfo.InvariantCulture),
                    Gid = int.Parse(User, CultureInfo.InvariantCulture),
                    ModificationTime = DateTimeOffset.UnixEpoch,
                };
                await writer.WriteEntryAsync(folder, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
