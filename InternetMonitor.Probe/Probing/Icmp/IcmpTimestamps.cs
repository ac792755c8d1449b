namespace InternetMonitor.Probe.Probing.Icmp;

/// <summary>Who stamps an ICMP channel's packets: the kernel both ways, the kernel on arrival only, or the probe itself.</summary>
public enum IcmpTimestamps
{
    /// <summary>Sends and arrivals stamped by the probe's own threads, just before the send and just after the receive.</summary>
    UserSpace,

    /// <summary>Arrivals stamped by the kernel (SO_TIMESTAMPNS); sends by the probe, just before the system call.</summary>
    KernelArrival,

    /// <summary>Both stamped by the kernel (SO_TIMESTAMPING, software): when the packet left for the device, and when the reply came in.</summary>
    Kernel,
}
