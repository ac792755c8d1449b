namespace InternetMonitor.Probe.Probing.Dns;

public enum DnsRecordType
{
    A,
    AAAA,
}
