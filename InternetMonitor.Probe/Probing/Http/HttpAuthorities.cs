using System.Security.Cryptography.X509Certificates;

namespace InternetMonitor.Probe.Probing.Http;

/// <summary>A target's <c>CaFile</c>: the PEM certificates of the authorities trusted for it instead of the system's.</summary>
public static class HttpAuthorities
{
    /// <summary>Reads <paramref name="file"/>; throws (IOException, CryptographicException, InvalidDataException) when it holds no usable certificate.</summary>
    public static X509Certificate2Collection Load(string file)
    {
        var authorities = new X509Certificate2Collection();
        authorities.ImportFromPemFile(file);
        return authorities.Count > 0 ? authorities : throw new InvalidDataException($"{file} holds no PEM certificate");
    }

    public static void Release(X509Certificate2Collection? authorities)
    {
        foreach (var certificate in authorities ?? [])
        {
            certificate.Dispose();
        }
    }
}
