using System.Net.NetworkInformation;
using Microsoft.AspNetCore.HostFiltering;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace InternetMonitor.Probe.Hosting;

/// <summary>Tells the host filter to read its list again when an address of this machine changes.</summary>
internal sealed class AddressChangeTokenSource : IOptionsChangeTokenSource<HostFilteringOptions>
{
    public string? Name => Options.DefaultName;

    public IChangeToken GetChangeToken()
    {
#pragma warning disable CA2000 // It lives as long as the token it hands out: cancelled once, then left to the collector.
        var changed = new CancellationTokenSource();
#pragma warning restore CA2000
        void OnChange(object? sender, EventArgs e)
        {
            NetworkChange.NetworkAddressChanged -= OnChange;
            changed.Cancel();
        }

        NetworkChange.NetworkAddressChanged += OnChange;
        return new CancellationChangeToken(changed.Token);
    }
}
