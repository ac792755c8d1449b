namespace InternetMonitor.AppHost.Integrations.Parts;

/// <summary>An image as an operator names it (<c>NAME[:TAG]</c> or <c>NAME@sha256:DIGEST</c>), split as Aspire's image annotation holds it.</summary>
public sealed record ImageReference(string Image, string? Tag, string? Sha256)
{
    /// <summary>
    /// Splits <paramref name="reference"/>: a colon after the last slash starts the tag (one before it is a registry's
    /// port), an at sign the digest; a name alone is <c>latest</c>, as docker reads it.
    /// </summary>
    public static ImageReference Parse(string reference)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reference);
        var at = reference.IndexOf('@', StringComparison.Ordinal);
        var name = at < 0 ? reference : reference[..at];
        var colon = name.LastIndexOf(':');
        var image = colon > name.LastIndexOf('/') ? name[..colon] : name;
        if (at >= 0)
        {
            const string prefix = "sha256:";
            var digest = reference[(at + 1)..];
            return new(image, null, digest.StartsWith(prefix, StringComparison.Ordinal) ? digest[prefix.Length..] : digest);
        }

        return new(image, colon > name.LastIndexOf('/') ? name[(colon + 1)..] : "latest", null);
    }
}
