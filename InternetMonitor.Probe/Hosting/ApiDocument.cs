using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using InternetMonitor.Probe.Alerting;
using InternetMonitor.Probe.History;
using InternetMonitor.Probe.Probing.SpeedTest;
using InternetMonitor.Probe.Report;
using InternetMonitor.Probe.StatusPage;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace InternetMonitor.Probe.Hosting;

/// <summary>
/// The probe's HTTP API described in OpenAPI 3.1 at <c>/openapi/v1.json</c>, generated (Microsoft.AspNetCore.OpenApi)
/// from each endpoint's handler and the descriptions it is mapped with (<see cref="ApiDescription"/>), so that it cannot
/// drift from what the probe serves.
/// </summary>
public static class ApiDocument
{
    public const string Path = "/openapi/v1.json";

    public const string Title = "Internet Monitor probe";

    public static IServiceCollection AddApiDocument(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);

        // The schemas come from the types' source-generated JSON contracts, the ones the endpoints write with, and from
        // nothing else: no reflection, so the document is the same in a native build as in the tests.
        // Numbers are numbers: the web defaults would also read them from strings, and the schemas would say so.
        services.ConfigureHttpJsonOptions(options =>
        {
            options.SerializerOptions.TypeInfoResolver = JsonTypeInfoResolver.Combine(
                HistoryJsonContext.Default, AlertLogJsonContext.Default, StatusJsonContext.Default, SpeedTestRunJsonContext.Default, Campaigns.CampaignJsonContext.Default,
                ReportJsonContext.Default, ApiDocumentJsonContext.Default);
            options.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
        });
        services.AddOpenApi(options =>
        {
            options.OpenApiVersion = OpenApiSpecVersion.OpenApi3_1;
            options.AddDocumentTransformer((document, context, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = Title,
                    Version = "1",
                    Description = "What the probe measured and kept: its history (read-only), the alert log Alertmanager notifies, the status page, "
                        + "speed tests on demand and as a server for other probes, metrics and health. Times are UTC; speeds in Mbit/s; latencies in milliseconds.",
                };
                return DescribeLibraryEndpointsAsync(document, context);
            });
            options.AddOperationTransformer((operation, context, _) =>
            {
                // Each answer's sentence (ApiDescription.ProducesText, ProducesJson), where the generator put only the reason phrase.
                foreach (var answer in context.Description.ActionDescriptor.EndpointMetadata.OfType<IProducesResponseTypeMetadata>())
                {
                    if (answer.Description is { } description && operation.Responses?.GetValueOrDefault(Status(answer.StatusCode)) is OpenApiResponse response)
                    {
                        response.Description = description;
                    }
                }

                return Task.CompletedTask;
            });
            options.AddSchemaTransformer((schema, context, _) =>
            {
                // A text property that holds one of a few words says which ([AllowedValues] on the record's parameter).
                if (context.JsonPropertyInfo?.AttributeProvider?.GetCustomAttributes(typeof(AllowedValuesAttribute), inherit: false) is [AllowedValuesAttribute allowed, ..])
                {
                    schema.Enum = [.. allowed.Values.Select(value => (JsonNode)JsonValue.Create(value?.ToString() ?? string.Empty))];
                }

                // A property that may be null is not required: the alert log leaves a null out (AlertLogJsonContext).
                if (schema.Required is { Count: > 0 } required && schema.Properties is { } properties)
                {
                    foreach (var (name, property) in properties)
                    {
                        if (property.Type is { } type && type.HasFlag(JsonSchemaType.Null))
                        {
                            required.Remove(name);
                        }
                    }
                }

                return Task.CompletedTask;
            });
        });
        return services;
    }

    public static WebApplication MapApiDocument(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapOpenApi(Path)
            .WithTags("operations")
            .WithSummary("This document")
            .WithMetadata(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, type: null, ["application/json"]) { Description = "OpenAPI 3.1, generated from the endpoints." });
        return app;
    }

    /// <summary>
    /// Adds the endpoints that libraries map and the API explorer leaves out (<c>/metrics</c> and the health checks, which
    /// answer any method; this document itself), each from the summary and answers it was mapped with, as a GET.
    /// </summary>
    private static async Task DescribeLibraryEndpointsAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context)
    {
        document.Paths ??= [];
        var endpoints = context.ApplicationServices.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>();
        foreach (var endpoint in endpoints)
        {
            var explored = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>() is not null
                && endpoint.Metadata.GetMetadata<IExcludeFromDescriptionMetadata>() is not { ExcludeFromDescription: true };
            if (explored || endpoint.Metadata.GetMetadata<IEndpointSummaryMetadata>() is not { } summary)
            {
                continue;
            }

            var operation = new OpenApiOperation
            {
                Summary = summary.Summary,
                Description = endpoint.Metadata.GetMetadata<IEndpointDescriptionMetadata>()?.Description,
                Tags = new HashSet<OpenApiTagReference>(endpoint.Metadata.GetOrderedMetadata<ITagsMetadata>().SelectMany(tags => tags.Tags).Select(tag => new OpenApiTagReference(tag, document))),
                Responses = [],
            };
            foreach (var answer in endpoint.Metadata.GetOrderedMetadata<IProducesResponseTypeMetadata>())
            {
                var schema = answer.Type is null ? null : await context.GetOrCreateSchemaAsync(answer.Type).ConfigureAwait(false);
                operation.Responses[Status(answer.StatusCode)] = new OpenApiResponse
                {
                    Description = answer.Description ?? Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(answer.StatusCode),
                    Content = answer.ContentTypes.ToDictionary(type => type, _ => new OpenApiMediaType { Schema = schema }),
                };
            }

            var path = "/" + endpoint.RoutePattern.RawText!.TrimStart('/');
            if (!document.Paths.TryGetValue(path, out var item))
            {
                item = new OpenApiPathItem();
                document.Paths[path] = item;
            }

            ((OpenApiPathItem)item).AddOperation(HttpMethod.Get, operation);
        }

        // Every tag an operation names is declared, those of the endpoints described here too.
        document.Tags ??= new HashSet<OpenApiTag>();
        var declared = document.Tags.Select(tag => tag.Name).ToHashSet(StringComparer.Ordinal);
        var named = document.Paths.Values
            .SelectMany(item => item.Operations?.Values ?? Enumerable.Empty<OpenApiOperation>())
            .SelectMany(operation => operation.Tags ?? Enumerable.Empty<OpenApiTagReference>())
            .Select(tag => tag.Name);
        foreach (var tag in named.Where(tag => tag is not null && declared.Add(tag)).ToList())
        {
            document.Tags.Add(new OpenApiTag { Name = tag });
        }
    }

    private static string Status(int code) => code.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>The few types the API document describes besides the endpoints' records: text bodies and parameters, and a JSON object of any shape.</summary>
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(JsonElement))]
internal sealed partial class ApiDocumentJsonContext : JsonSerializerContext;
