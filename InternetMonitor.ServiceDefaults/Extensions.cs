using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The cross-cutting wiring every service of the stack shares: OpenTelemetry logs, metrics and traces,
/// health checks, service discovery and resilience for ordinary HTTP clients. Services call
/// <see cref="AddServiceDefaults{TBuilder}"/> and <see cref="MapDefaultEndpoints"/> and nothing else.
/// </summary>
public static class Extensions
{
    /// <summary>Path of the readiness endpoint: every registered health check must pass.</summary>
    public const string HealthEndpointPath = "/health";

    /// <summary>Path of the liveness endpoint: only checks tagged "live" run.</summary>
    public const string AlivenessEndpointPath = "/alive";

    /// <summary>A second OTLP endpoint for logs alone (Loki's <c>/otlp/v1/logs</c>), besides the standard variables' place.</summary>
    public const string LogsEndpointVariable = "INTERNET_MONITOR_LOGS_OTLP_ENDPOINT";

    /// <summary>The site the service measures for (the house, the office), when set: its <c>site</c> resource attribute, which Loki makes a label.</summary>
    public const string SiteVariable = "INTERNET_MONITOR_SITE";

    /// <summary>Activity sources whose spans the service wants exported, besides ASP.NET Core and HttpClient.</summary>
    public static ICollection<string> ActivitySources { get; } = new List<string> { "InternetMonitor.*" };

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();
        builder.Services.AddServiceDiscovery();

        // Resilience (retries, timeouts, circuit breaker) and discovery apply to clients made by
        // IHttpClientFactory. The probe's measuring clients are built by the probers themselves and
        // never come from the factory: a retried or wrapped request would falsify its timing.
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            http.AddStandardResilienceHandler();
            http.AddServiceDiscovery();
        });
        return builder;
    }

    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        var serviceName = builder.Configuration["OTEL_SERVICE_NAME"] ?? builder.Environment.ApplicationName;
        // The service's own version (its assembly's informational version, as its build info reports it), not this
        // library's or the host process's (a test runner): the assembly named by the application's name.
        var assembly = AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(candidate => candidate.GetName().Name == builder.Environment.ApplicationName)
            ?? Assembly.GetEntryAssembly() ?? typeof(Extensions).Assembly;
        var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        List<KeyValuePair<string, object>> attributes = [new("host.name", Environment.MachineName)];
        if (builder.Configuration[SiteVariable] is { Length: > 0 } site)
        {
            attributes.Add(new("site", site));
        }

        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource
                .AddService(serviceName, serviceVersion: version, serviceInstanceId: Environment.MachineName)
                .AddAttributes(attributes))
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation())
            .WithTracing(tracing =>
            {
                tracing.AddSource([.. ActivitySources])
                    .AddAspNetCoreInstrumentation(options =>
                        // Scrapes and health probes every few seconds would drown the traces that matter.
                        options.Filter = context =>
                            !context.Request.Path.StartsWithSegments(HealthEndpointPath, StringComparison.Ordinal)
                            && !context.Request.Path.StartsWithSegments(AlivenessEndpointPath, StringComparison.Ordinal)
                            && !context.Request.Path.StartsWithSegments("/metrics", StringComparison.Ordinal))
                    .AddHttpClientInstrumentation();
            });

        builder.AddOpenTelemetryExporters();
        return builder;
    }

    /// <summary>
    /// OTLP export, switched on by the standard variables alone. <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> by itself sends
    /// every signal there, as Aspire does it. A signal's own variable (<c>OTEL_EXPORTER_OTLP_LOGS_ENDPOINT</c>,
    /// <c>_TRACES_</c>, <c>_METRICS_</c>) sends that signal to its own place, the full URL as given (Loki 3 takes
    /// logs at <c>http://loki:3100/otlp/v1/logs</c> and nothing else), over that signal's protocol (http/protobuf
    /// unless it says grpc); a signal with neither variable is not exported and never falls back to localhost.
    /// <c>INTERNET_MONITOR_LOGS_OTLP_ENDPOINT</c> is a second place for logs, the full URL over http/protobuf: Loki
    /// beside the Aspire dashboard, which the AppHost gives the standard variables.
    /// </summary>
    private static void AddOpenTelemetryExporters<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        var configuration = builder.Configuration;
        var shared = Endpoint(configuration, "OTEL_EXPORTER_OTLP_ENDPOINT");
        var logs = Endpoint(configuration, "OTEL_EXPORTER_OTLP_LOGS_ENDPOINT");
        var traces = Endpoint(configuration, "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT");
        var metrics = Endpoint(configuration, "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT");
        var second = Endpoint(configuration, LogsEndpointVariable);
        var telemetry = builder.Services.AddOpenTelemetry();
        if (second is not null)
        {
            telemetry.WithLogging(logging => logging.AddOtlpExporter(LogsEndpointVariable, options =>
            {
                options.Endpoint = new Uri(second);
                options.Protocol = OtlpExportProtocol.HttpProtobuf;
            }));
        }

        if (!IsSet(logs) && !IsSet(traces) && !IsSet(metrics) && (second is null || !IsSet(shared)))
        {
            if (IsSet(shared))
            {
                // The SDK reads OTEL_EXPORTER_OTLP_ENDPOINT, _PROTOCOL and _HEADERS itself and appends /v1/<signal>.
                // UseOtlpExporter refuses to be combined with a signal's own exporter: with the second place for logs,
                // the shared endpoint goes through the signal-specific exporters below instead.
                telemetry.UseOtlpExporter();
            }

            return;
        }

        // The signal-specific exporters do not read the signal-specific variables: they are applied here.
        if (IsSet(logs) || IsSet(shared))
        {
            telemetry.WithLogging(logging => logging.AddOtlpExporter(options => Apply(options, configuration, "LOGS", logs)));
        }

        if (IsSet(traces) || IsSet(shared))
        {
            telemetry.WithTracing(tracing => tracing.AddOtlpExporter(options => Apply(options, configuration, "TRACES", traces)));
        }

        if (IsSet(metrics) || IsSet(shared))
        {
            telemetry.WithMetrics(meters => meters.AddOtlpExporter(options => Apply(options, configuration, "METRICS", metrics)));
        }
    }

    private static bool IsSet([NotNullWhen(true)] string? value) => !string.IsNullOrWhiteSpace(value);

    /// <summary>The variable's value, checked at start: a URL the exporter could not use is one clear message, not a crash later.</summary>
    private static string? Endpoint(IConfiguration configuration, string variable)
    {
        var value = configuration[variable];
        if (!IsSet(value))
        {
            return null;
        }

        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new OptionsValidationException(variable, typeof(OtlpExporterOptions), [$"{variable} must be an absolute http or https URL (got '{value}')"]);
        }

        return value;
    }

    private static void Apply(OtlpExporterOptions options, IConfiguration configuration, string signal, string? endpoint)
    {
        if (!IsSet(endpoint))
        {
            return; // the shared endpoint, read by the SDK, which appends /v1/<signal> for http/protobuf
        }

        options.Endpoint = new Uri(endpoint);
        var protocol = configuration[$"OTEL_EXPORTER_OTLP_{signal}_PROTOCOL"] ?? configuration["OTEL_EXPORTER_OTLP_PROTOCOL"];
        options.Protocol = string.Equals(protocol, "grpc", StringComparison.OrdinalIgnoreCase) ? OtlpExportProtocol.Grpc : OtlpExportProtocol.HttpProtobuf;
        if (configuration[$"OTEL_EXPORTER_OTLP_{signal}_HEADERS"] is { Length: > 0 } headers)
        {
            options.Headers = headers;
        }
    }

    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), ["live"]);

        // A change of state is logged once (HealthStateLog, also run in the background), not each check on every call.
        builder.Services.AddSingleton<HealthStateLog>();
        builder.Services.AddSingleton<IHealthCheckPublisher>(provider => provider.GetRequiredService<HealthStateLog>());
        builder.Logging.AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks.DefaultHealthCheckService", LogLevel.Critical);
        return builder;
    }

    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);

        // Unlike the Aspire template, these stay on in production: the AppHost, the compose health
        // checks and Prometheus-side probes all rely on them, and they reveal no more than up/down.
        // Described for an API document (tag, summary, answers), where the service generates one.
        const string Shape = "`{\"status\": \"Healthy\", \"checks\": {\"<name>\": {\"status\": \"Healthy\", \"description\": \"...\"}}}`";
        app.MapHealthChecks(HealthEndpointPath, new HealthCheckOptions { ResponseWriter = HealthResponseWriter.WriteAsync })
            .WithTags("operations")
            .WithSummary("The service's checks, each with its status and why")
            .WithDescription($"Answers {Shape}; 200 while every check is healthy or degraded.")
            .WithMetadata(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, type: null, ["application/json"]) { Description = "Healthy or degraded." })
            .WithMetadata(new ProducesResponseTypeMetadata(StatusCodes.Status503ServiceUnavailable, type: null, ["application/json"]) { Description = "A check failed." });
        app.MapHealthChecks(AlivenessEndpointPath, new HealthCheckOptions
        {
            Predicate = registration => registration.Tags.Contains("live"),
            ResponseWriter = HealthResponseWriter.WriteAsync,
        })
            .WithTags("operations")
            .WithSummary("200 while the process runs (only the checks tagged live)")
            .WithDescription($"Answers {Shape}.")
            .WithMetadata(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, type: null, ["application/json"]) { Description = "Alive." });
        return app;
    }
}
