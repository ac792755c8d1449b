using InternetMonitor.Probe.Configuration;
using InternetMonitor.Probe.Hosting;
using InternetMonitor.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace InternetMonitor.Tests.Hosting;

/// <summary>The descriptor limit shared out between measuring, loopback and remote clients, and the checks of Monitor:Server.</summary>
[Trait(Layer.Key, Layer.Unit)]
public sealed class ConnectionBudgetTests
{
    [Fact]
    public void The_reserve_is_what_was_open_at_start_plus_the_measuring_margin_and_remote_clients_get_the_rest()
    {
        var budget = ConnectionBudget.From(1024, openAtStart: 200, new ConnectionLimitsOptions());

        Assert.Equal(200 + ConnectionBudget.MeasuringMargin, budget.Reserve);
        Assert.Equal(64, budget.Loopback);
        Assert.Equal(1024 - 456 - 64 - ConnectionBudget.RefusalSlack, budget.Remote);
        Assert.True(budget.ServerLimit + budget.Reserve <= 1024, "every connection the server may hold fits beside the reserve");
    }

    [Fact]
    public void A_large_limit_still_holds_no_more_than_the_default_number_of_remote_clients()
    {
        var budget = ConnectionBudget.From(524_288, openAtStart: 60, new ConnectionLimitsOptions());

        Assert.Equal(ConnectionBudget.DefaultMaxConnections, budget.Remote);
    }

    [Fact]
    public void Settings_given_are_taken_as_they_are()
    {
        var budget = ConnectionBudget.From(20_000, openAtStart: 300, new ConnectionLimitsOptions { MaxConnections = 5000, MaxLoopbackConnections = 8, DescriptorReserve = 2000 });

        Assert.Equal((2000, 5000, 8), (budget.Reserve, budget.Remote, budget.Loopback));
    }

    [Theory]
    [InlineData(0, 1024, 64, "Monitor:Server:MaxConnections has no room: the descriptor limit 1024 less 1024 kept for measuring, 64 for loopback clients and 32 for refusals leaves none (raise the limit: ulimit -n, systemd's LimitNOFILE, docker's --ulimit nofile)")]
    [InlineData(673, 0, 64, "Monitor:Server:MaxConnections must be at most 672, the descriptor limit 1024 less 256 kept for measuring, 64 for loopback clients and 32 for refusals (got 673)")]
    [InlineData(0, 0, 0, "Monitor:Server:MaxLoopbackConnections must be between 1 and 10000 (got 0)")]
    public void Limits_that_do_not_fit_beside_the_reserve_stop_the_start_with_the_key_named(int maxConnections, int reserve, int loopback, string message)
    {
        var options = new ConnectionLimitsOptions { MaxConnections = maxConnections, DescriptorReserve = reserve, MaxLoopbackConnections = loopback };
        var validator = new ConnectionLimitsOptionsValidator(new DescriptorLimit(1024, 1024, 1024, openAtStart: 0));

        var result = validator.Validate(null, options);

        Assert.True(result.Failed);
        Assert.Equal(message, Assert.Single(result.Failures!));
    }

    [Fact]
    public void Timeouts_out_of_range_are_named()
    {
        var validator = new ConnectionLimitsOptionsValidator(new DescriptorLimit(20_000, 20_000, 20_000, openAtStart: 100));

        var result = validator.Validate(null, new ConnectionLimitsOptions { RequestHeadersTimeout = TimeSpan.Zero, KeepAliveTimeout = TimeSpan.FromHours(1) });

        Assert.Equal(
            [
                "Monitor:Server:RequestHeadersTimeout must be between 00:00:01 and 00:05:00 (got 00:00:00)",
                "Monitor:Server:KeepAliveTimeout must be between 00:00:01 and 00:10:00 (got 01:00:00)",
            ],
            result.Failures!);
    }

    [Fact]
    public async Task The_probe_refuses_to_start_with_more_connections_than_its_descriptors_allow()
    {
        await using var app = Probe.Hosting.ProbeProgram.Build([.. ProbeHost.LoopbackArguments(), "--Monitor:Server:MaxConnections=2000000000"]);

        var exception = Assert.ThrowsAny<OptionsValidationException>(() => app.Services.GetRequiredService<IStartupValidator>().Validate());

        Assert.StartsWith("Monitor:Server:MaxConnections must be at most ", ConfigurationErrorMessage.From(exception), StringComparison.Ordinal);
    }

    [Fact]
    public void The_descriptor_limit_is_read_and_its_soft_limit_raised_to_the_hard_one()
    {
        var limit = DescriptorLimit.ReadAndRaise();

        Assert.NotNull(limit);
        Assert.Equal(limit.Hard, limit.Soft);
        Assert.True(limit.SoftAtStart <= limit.Soft);
        Assert.InRange(limit.OpenAtStart, 3, limit.Soft);
    }
}
