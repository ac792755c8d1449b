using System.Runtime.InteropServices;

namespace InternetMonitor.AppHost.Stack;

/// <summary>This machine's runtime identifier: what the probe's image is built for unless <c>--runtime</c> says otherwise.</summary>
public static class HostRuntime
{
    public static string Identifier => RuntimeInformation.OSArchitecture switch
    {
        Architecture.Arm64 => "linux-arm64",
        Architecture.Arm => "linux-arm",
        _ => "linux-x64",
    };
}
