using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace InternetMonitor.AppHost.Stack;

/// <summary>
/// Where the containers reach this host's processes (the probe): the address <c>host-gateway</c> stands for, which is
/// the Docker engine's default bridge's address on this host (docker0's) unless the engine sets <c>host-gateway-ip</c>.
/// </summary>
public static class EngineGateway
{
    /// <summary>The default bridge's IPv4 address on this host, or why there is none (one sentence).</summary>
    public static (string? Address, string? Problem) Find()
    {
        // The engine names its bridge; its gateway is not always in the network's IPAM (Docker 20.10 leaves it out).
        var answer = DockerCli.Run(["network", "inspect", "bridge", "--format", "{{index .Options \"com.docker.network.bridge.name\"}}"], TimeSpan.FromSeconds(10));
        if (answer is not { ExitCode: 0 } inspected)
        {
            return (null, $"container mode: the Docker engine did not say what its default bridge is (docker network inspect bridge: {answer?.Error.Trim() ?? "no answer"})");
        }

        var name = inspected.Output.Trim() is { Length: > 0 } named && named != "<no value>" ? named : "docker0";
        var address = NetworkInterface.GetAllNetworkInterfaces().Where(candidate => candidate.Name == name)
            .SelectMany(candidate => candidate.GetIPProperties().UnicastAddresses)
            .Select(unicast => unicast.Address).FirstOrDefault(candidate => candidate.AddressFamily == AddressFamily.InterNetwork);
        return address is null
            ? (null, $"container mode runs the probe on this host, which the containers reach through the Docker engine's default bridge {name}; this host has no {name} with an IPv4 address (is DOCKER_HOST another machine's engine?)")
            : (address.ToString(), null);
    }
}
