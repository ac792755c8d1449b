using System.Runtime.InteropServices;

namespace InternetMonitor.Tests.Support;

/// <summary>
/// Tests that need root, a namespace or a Debian package skip with a clear reason on a machine that lacks
/// them, but never under CI (CI=true): there a missing prerequisite is a failure. A test of the unit layer
/// (<see cref="Layer.Unit"/>) may need none of them, so asking fails it, even on a machine that has them.
/// </summary>
public static class Prerequisite
{
    public static bool UnderCi =>
        string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static bool IsRoot => OperatingSystem.IsLinux() && geteuid() == 0;

    /// <summary>Skips (or fails under CI) unless <paramref name="condition"/> holds.</summary>
    public static void Require(bool condition, string reason)
    {
        var test = TestContext.Current.Test;
        if (test is not null && test.Traits.TryGetValue(Layer.Key, out var layers) && layers.Contains(Layer.Unit))
        {
            Assert.Fail($"{test.TestDisplayName} is in the {Layer.Unit} layer, which may not need this: {reason}. Use a fake, or mark its class {Layer.Integration}.");
        }

        if (condition)
        {
            return;
        }

        if (UnderCi)
        {
            Assert.Fail($"Missing prerequisite under CI: {reason}");
        }

        Assert.Skip(reason);
    }

    public static void RequireRoot() => Require(IsRoot, "needs root (raw sockets, network namespaces)");

    /// <summary>Finds <paramref name="program"/> on PATH (or in sbin), skipping or failing when it is absent.</summary>
    public static string RequireProgram(string program, string package)
    {
        var path = FindProgram(program);
        Require(path is not null, $"needs '{program}' (Debian package {package}; `make test` installs it)");
        return path!;
    }

    /// <summary>The full path of <paramref name="program"/> on PATH or in sbin, or null (the lab's lookup).</summary>
    public static string? FindProgram(string program) => InternetMonitor.Lab.Command.Find(program);

    [DllImport("libc", SetLastError = false)]
#pragma warning disable CA5392, SYSLIB1054 // libc is resolved by the loader; a source-generated import buys nothing here.
    private static extern uint geteuid();
#pragma warning restore CA5392, SYSLIB1054
}
