using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace InternetMonitor.Lab;

/// <summary>
/// A private certificate authority made for one run and a server certificate it signed, as PEM: what a user with
/// a CA of their own has, and what lets curl and the probe both verify a lab server the same way.
/// </summary>
/// <param name="Authority">The CA's certificate (what a client trusts).</param>
/// <param name="Certificate">The server's certificate.</param>
/// <param name="Key">The server's private key (PKCS#8).</param>
public sealed record LabAuthority(string Authority, string Certificate, string Key)
{
    /// <summary>A CA and a server certificate for <paramref name="names"/> and <paramref name="addresses"/>, valid from five minutes ago for two days.</summary>
    public static LabAuthority Issue(IEnumerable<string> names, IEnumerable<IPAddress> addresses)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(addresses);
        using var authorityKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var authorityRequest = new CertificateRequest("CN=internet-monitor-test-ca", authorityKey, HashAlgorithmName.SHA256);
        authorityRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: true, pathLengthConstraint: 0, critical: true));
        authorityRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        using var authority = authorityRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(2));

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=internet-monitor-test-server", key, HashAlgorithmName.SHA256);
        var alternatives = new SubjectAlternativeNameBuilder();
        foreach (var name in names)
        {
            alternatives.AddDnsName(name);
        }

        foreach (var address in addresses)
        {
            alternatives.AddIpAddress(address);
        }

        request.CertificateExtensions.Add(alternatives.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        using var certificate = request.Create(authority, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1), RandomNumberGenerator.GetBytes(16));
        return new LabAuthority(authority.ExportCertificatePem(), certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }

    /// <summary>Writes ca.pem, server.pem and server.key into <paramref name="folder"/>; returns the CA file's path.</summary>
    public string WriteTo(string folder)
    {
        File.WriteAllText(Path.Combine(folder, "server.pem"), Certificate);
        File.WriteAllText(Path.Combine(folder, "server.key"), Key);
        var authority = Path.Combine(folder, "ca.pem");
        File.WriteAllText(authority, Authority);
        return authority;
    }
}
