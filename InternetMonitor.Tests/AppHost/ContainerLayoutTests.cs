using InternetMonitor.AppHost.Integrations.Parts;
using InternetMonitor.AppHost.Stack;
using InternetMonitor.Tests.Support;

namespace InternetMonitor.Tests.AppHost;

/// <summary>What container mode computes before anything runs: the image an operator names, and where the probe listens.</summary>
[Trait(Layer.Key, Layer.Unit)]
public sealed class ContainerLayoutTests
{
    [Theory]
    [InlineData("internet-monitor-test/prometheus:local", "internet-monitor-test/prometheus", "local", null)]
    [InlineData("registry.lan:5000/prom/prometheus:v3.5.0", "registry.lan:5000/prom/prometheus", "v3.5.0", null)]
    [InlineData("registry.lan:5000/prom/prometheus", "registry.lan:5000/prom/prometheus", "latest", null)]
    [InlineData("prom/alertmanager@sha256:0123abcd", "prom/alertmanager", null, "0123abcd")]
    [InlineData("prom/alertmanager:v0.28.1@sha256:0123abcd", "prom/alertmanager", null, "0123abcd")]
    public void An_image_named_by_its_variable_is_split_as_docker_reads_it(string reference, string image, string? tag, string? digest) =>
        Assert.Equal(new ImageReference(image, tag, digest), ImageReference.Parse(reference));

    [Theory]
    [InlineData("127.0.0.1", "http://127.0.0.1:8000;http://172.17.0.1:8000")]
    [InlineData("0.0.0.0", "http://0.0.0.0:8000")]
    [InlineData("172.17.0.1", "http://172.17.0.1:8000")]
    public void In_container_mode_the_probe_listens_where_the_containers_reach_it_and_no_wider(string listen, string urls)
    {
        var layout = new StackLayout(StackRun.Containers, new StackOptions { ListenAddress = listen, StateDirectory = Path.GetTempPath() }) { HostGateway = "172.17.0.1" };

        Assert.Equal(urls, layout.ProcessUrls(8000));
        Assert.Equal(listen == "0.0.0.0" ? "127.0.0.1" : listen, layout.LocalHost); // where the probe finds a container's published port
    }

    [Fact]
    public void As_processes_the_probe_listens_on_the_listen_address_alone()
    {
        var layout = new StackLayout(StackRun.Processes, new StackOptions { StateDirectory = Path.GetTempPath() }) { HostGateway = "172.17.0.1" };

        Assert.Equal("http://127.0.0.1:8000", layout.ProcessUrls(8000));
    }
}
