using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using InternetMonitor.Lab;

namespace InternetMonitor.Tests.Support;

/// <summary>Certificates made for a test run: nothing of them is kept.</summary>
public static class TestCertificates
{
    /// <summary>A self-signed certificate for 127.0.0.1 and localhost, made fresh for the test run.</summary>
    public static X509Certificate2 SelfSigned { get; } = Create();

    /// <summary>
    /// A private CA made for the test and a server certificate it signed for 127.0.0.1, localhost and
    /// <paramref name="addresses"/>, as PEM: what a user of a central machine makes with their own CA (the CA for the
    /// sites, the certificate and key for the gate).
    /// </summary>
    public static (string Authority, string Certificate, string Key) PrivateAuthority(params IPAddress[] addresses)
    {
        var issued = LabAuthority.Issue(["localhost"], [IPAddress.Loopback, .. addresses]);
        return (issued.Authority, issued.Certificate, issued.Key);
    }

    /// <summary>The server certificate of <paramref name="issued"/> with its key, as a server in this process presents it.</summary>
    public static X509Certificate2 Server(LabAuthority issued)
    {
        ArgumentNullException.ThrowIfNull(issued);
        using var certificate = X509Certificate2.CreateFromPem(issued.Certificate, issued.Key);
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), password: null);
    }

    private static X509Certificate2 Create()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=internet-monitor-test", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));

        // SslStream on Linux wants the key in a PKCS#12 round trip, not the ephemeral one.
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), password: null);
    }
}
