using InternetMonitor.AppHost.Model;

namespace InternetMonitor.Tests.AppHost;

/// <summary>The stack's model before anything starts: start order, cycles, port clashes, and the variables references become.</summary>
public sealed class StackModelTests
{
    [Fact]
    public void Every_resource_starts_after_what_it_waits_for_and_otherwise_in_declaration_order()
    {
        var (probe, alertmanager, prometheus, grafana) = (Make("probe", 8000), Make("alertmanager", 9093), Make("prometheus", 9090), Make("grafana", 3000));
        grafana.WaitsFor.Add(prometheus);
        prometheus.WaitsFor.Add(alertmanager);
        var model = new StackModel([grafana, probe, prometheus, alertmanager]);

        Assert.Empty(model.Validate());
        Assert.Equal(["probe", "alertmanager", "prometheus", "grafana"], model.StartOrder().Select(resource => resource.Name));
    }

    [Fact]
    public void A_cycle_is_named_in_full_before_anything_starts()
    {
        var (a, b, c) = (Make("a", 1001), Make("b", 1002), Make("c", 1003));
        a.WaitsFor.Add(b);
        b.WaitsFor.Add(c);
        c.WaitsFor.Add(a);

        var errors = new StackModel([a, b, c]).Validate();

        Assert.Equal(["the resources wait for each other in a cycle: a -> b -> c -> a"], errors);
        Assert.Throws<InvalidOperationException>(() => new StackModel([a, b, c]).StartOrder());
    }

    [Fact]
    public void Two_endpoints_on_one_port_a_port_out_of_range_a_duplicate_name_and_an_undeclared_reference_are_each_one_error()
    {
        var probe = Make("probe", 9090);
        var prometheus = Make("prometheus", 9090);
        var duplicate = Make("probe", 70000);
        var stranger = Make("stranger", 1234);
        prometheus.References.Add(stranger);

        var errors = new StackModel([probe, prometheus, duplicate]).Validate();

        Assert.Equal(
        [
            "two resources are named probe",
            "port 9090 is claimed by probe (http) and prometheus (http)",
            "probe (http) has port 70000, which is not between 1 and 65535",
            "prometheus refers to stranger, which is not part of the stack",
        ], errors);
    }

    [Fact]
    public void References_become_aspire_style_service_variables_for_the_available_ones_only()
    {
        var probe = Make("probe", 8000);
        var loki = Make("loki", 3100);
        var prometheus = Make("prometheus", 9090);
        prometheus.Endpoints.Add(new Endpoint("otlp", 9091));
        var grafana = Make("grafana", 3000);
        grafana.References.AddRange([prometheus, loki, probe]);
        var context = new ResourceContext("/tmp/state", "127.0.0.1", resource => resource != loki);

        var variables = StackModel.ReferenceVariables(grafana, context).ToList();

        Assert.Equal(
        [
            new("services__prometheus__http__0", "http://127.0.0.1:9090"),
            new("services__prometheus__otlp__0", "http://127.0.0.1:9091"),
            new("services__probe__http__0", "http://127.0.0.1:8000"),
        ], variables);
    }

    private static Resource Make(string name, int port)
    {
        var resource = new Resource(name, ResourceKind.Executable);
        resource.Endpoints.Add(new Endpoint("http", port));
        return resource;
    }
}
