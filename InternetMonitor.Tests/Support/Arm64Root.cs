using InternetMonitor.Lab;

namespace InternetMonitor.Tests.Support;

/// <summary>
/// Debian's arm64 system, unpacked without running a single arm64 program: the root that qemu-user reads an arm64
/// program's loader and libraries from (<c>qemu-aarch64-static -L</c>), and the base of the arm64 probe image, in place
/// of the upstream runtime-deps image. debootstrap's first stage (<c>--foreign</c>) of bookworm's required packages,
/// plus libssl3 (which the probe loads at start) unpacked by dpkg-deb; made once into .cache/ (git ignores it).
/// </summary>
public static class Arm64Root
{
    /// <summary>The qemu-user emulator, from Debian's qemu-user-static: run explicitly, no binfmt registration needed.</summary>
    public const string Emulator = "qemu-aarch64-static";

    private static readonly string Cached = Repository.PathOf(".cache", "arm64-root", "bookworm");
    private static readonly SemaphoreSlim Making = new(1, 1);

    /// <summary>Skips (or fails under CI) without root, debootstrap, dpkg-deb or qemu-user-static.</summary>
    public static string RequireEmulator()
    {
        Prerequisite.RequireRoot();
        Prerequisite.RequireProgram("debootstrap", "debootstrap");
        Prerequisite.RequireProgram("dpkg-deb", "dpkg");
        return Prerequisite.RequireProgram(Emulator, "qemu-user-static");
    }

    /// <summary>The command that runs an arm64 executable whose loader and libraries are in <paramref name="root"/>.</summary>
    public static IReadOnlyList<string> Emulate(string emulator, string root) => [emulator, "-L", root];

    /// <summary>The unpacked root, made on first use (about 40 s, 190 MB).</summary>
    public static async Task<string> GetAsync()
    {
        await Making.WaitAsync(TestContext.Current.CancellationToken);
        try
        {
            if (File.Exists(Path.Combine(Cached, "lib", "ld-linux-aarch64.so.1")))
            {
                return Cached;
            }

            var partial = Cached + ".partial";
            await Command.TryRunAsync("rm", "-rf", partial);
            Directory.CreateDirectory(partial);
            var (code, output, error) = await Command.TryRunAsync("debootstrap", ["--arch=arm64", "--foreign", "--variant=minbase", "--include=libssl3",
                "bookworm", partial, "http://deb.debian.org/debian"], TimeSpan.FromMinutes(10));
            Assert.True(code == 0, $"debootstrap --arch=arm64 --foreign failed ({code}): {output}{error}");

            // The first stage unpacks the required packages only; the included ones wait, downloaded, for a second stage
            // that would run on arm64. libssl3 is unpacked here; the downloads and debootstrap's own files go.
            var archives = Path.Combine(partial, "var", "cache", "apt", "archives");
            foreach (var package in Directory.GetFiles(archives, "libssl3_*_arm64.deb"))
            {
                await Command.RunAsync("dpkg-deb", "-x", package, partial);
            }

            foreach (var download in Directory.GetFiles(archives, "*.deb"))
            {
                File.Delete(download);
            }

            Directory.Delete(Path.Combine(partial, "debootstrap"), recursive: true);
            Directory.Move(partial, Cached);
            return Cached;
        }
        finally
        {
            Making.Release();
        }
    }

    /// <summary>
    /// Whether <paramref name="executable"/> is an ELF file for arm64 (EM_AARCH64 in its header): what it was built for,
    /// read from the file rather than trusted from the build's words.
    /// </summary>
    public static bool IsArm64Elf(string executable)
    {
        var header = new byte[20];
        using (var file = File.OpenRead(executable))
        {
            file.ReadExactly(header);
        }

        return header[0] == 0x7f && header[1] == (byte)'E' && header[2] == (byte)'L' && header[3] == (byte)'F'
            && header[4] == 2 // 64-bit
            && BitConverter.ToUInt16(header, 18) == 183; // e_machine: EM_AARCH64 (little-endian, as this machine)
    }
}
