using InternetMonitor.Probe.Hosting;
using InternetMonitor.Tests.Support;

namespace InternetMonitor.Tests.Hosting;

/// <summary>The Host names allowed by default: the machine's own in its search domains, and the domains of private networks.</summary>
[Trait(Layer.Key, Layer.Unit)]
public sealed class AllowedHostNamesTests
{
    [Fact]
    public void The_machine_is_allowed_by_its_name_in_each_search_domain_and_private_domains_whole()
    {
        var names = AllowedHostNames.Defaults("pi", ["fritz.box", "example.org."]);

        Assert.Contains("pi", names);
        Assert.Contains("pi.fritz.box", names);
        Assert.Contains("pi.example.org", names);
        Assert.Contains("*.home.arpa", names);
        Assert.Contains("*.local", names);
        Assert.DoesNotContain("*", names);
        Assert.DoesNotContain(names, name => name.EndsWith(".fritz.box", StringComparison.Ordinal) && name != "pi.fritz.box");
    }

    [Fact]
    public void Search_and_domain_lines_of_resolv_conf_give_the_domains()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "# a comment\nnameserver 192.0.2.53\nsearch fritz.box lan\ndomain home.example\noptions ndots:1\nsearch .\n");

            Assert.Equal(["fritz.box", "lan", "home.example"], AllowedHostNames.SearchDomains(file));
        }
        finally
        {
            File.Delete(file);
        }

        Assert.Empty(AllowedHostNames.SearchDomains(file)); // gone: none
    }
}
