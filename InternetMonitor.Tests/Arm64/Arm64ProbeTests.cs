using InternetMonitor.Tests.Support;

namespace InternetMonitor.Tests.Arm64;

/// <summary>
/// The probe built for a Raspberry Pi as <c>make publish RID=linux-arm64</c> builds it, run under qemu-user (Debian's
/// qemu-user-static, called explicitly: no binfmt handler is registered) with an arm64 Debian root for its loader and
/// libraries: it starts, pings 127.0.0.1 and serves /metrics and /health.
/// </summary>
[Trait(Layer.Key, Layer.Integration)]
public sealed class Arm64ProbeTests
{
    [Fact]
    public async Task The_native_aot_arm64_build_pings_loopback_and_serves_health_and_metrics_under_qemu()
    {
        var emulator = Arm64Root.RequireEmulator();
        Prerequisite.RequireProgram("clang", "clang");
        Prerequisite.RequireProgram("ld.lld", "lld");
        var cross = Arm64Build.MissingCrossToolchain();
        Prerequisite.Require(cross is null, cross ?? string.Empty);

        var (folder, made) = await Arm64Build.GetAsync();
        var program = Path.Combine(folder, "InternetMonitor.Probe");

        // With the cross toolchain here, the build is native AOT: one arm64 executable, no .NET runtime beside it.
        Assert.Contains($"Published the probe for {Arm64Build.Runtime}: native AOT", made, StringComparison.Ordinal);
        Assert.True(Arm64Root.IsArm64Elf(program), $"{program} is not an arm64 ELF executable");
        Assert.False(File.Exists(Path.Combine(folder, "libcoreclr.so")));
        Assert.False(File.Exists(Path.Combine(folder, "InternetMonitor.Probe.dll")));

        await EmulatedProbe.AssertServesAsync(program, Arm64Root.Emulate(emulator, await Arm64Root.GetAsync()));
    }
}
