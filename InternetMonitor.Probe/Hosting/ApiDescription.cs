using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.OpenApi;

namespace InternetMonitor.Probe.Hosting;

/// <summary>
/// How an endpoint describes itself in the API document (<see cref="ApiDocument"/>): its answers with a sentence each,
/// and what the generator cannot see in a handler's types (a response header, a CSV example, a query parameter that is
/// bound as text so that a bad value is answered with the probe's own sentence, but is a time or a number).
/// </summary>
public static class ApiDescription
{
    /// <summary>A plain-text answer (one sentence ending in a line break) with this status.</summary>
    public static TBuilder ProducesText<TBuilder>(this TBuilder builder, int status, string description, string contentType = "text/plain")
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new ApiResponse(status, typeof(string), description, [contentType]));

    /// <summary>A JSON answer of <typeparamref name="T"/> with this status.</summary>
    public static TBuilder ProducesJson<T, TBuilder>(this TBuilder builder, int status, string description)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new ApiResponse(status, typeof(T), description, ["application/json"]));

    /// <summary>A header that the answer with <paramref name="status"/> carries.</summary>
    public static TBuilder WithResponseHeader<TBuilder>(this TBuilder builder, int status, string name, string description, JsonSchemaType type = JsonSchemaType.String)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            var response = Response(operation, status);
            response.Headers ??= new Dictionary<string, IOpenApiHeader>();
            response.Headers[name] = new OpenApiHeader { Description = description, Schema = new OpenApiSchema { Type = type } };
            return Task.CompletedTask;
        });

    /// <summary>
    /// A second body the answer with <paramref name="status"/> may have (the CSV file beside the JSON rows), text, with
    /// its example.
    /// </summary>
    public static TBuilder WithTextVariant<TBuilder>(this TBuilder builder, int status, string contentType, string example)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            var response = Response(operation, status);
            response.Content ??= new Dictionary<string, OpenApiMediaType>();
            response.Content[contentType] = new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String }, Example = JsonValue.Create(example) };
            return Task.CompletedTask;
        });

    /// <summary>What the query parameter <paramref name="name"/> is, beyond the text it is bound as.</summary>
    public static TBuilder WithQuerySchema<TBuilder>(this TBuilder builder, string name, Action<OpenApiSchema> describe)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(describe);
        return builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            var parameter = operation.Parameters?.OfType<OpenApiParameter>().FirstOrDefault(parameter => parameter.In == ParameterLocation.Query && parameter.Name == name)
                ?? throw new InvalidOperationException($"{operation.OperationId ?? operation.Summary}: no query parameter {name} to describe");
            var schema = new OpenApiSchema();
            describe(schema);
            parameter.Schema = schema;
            return Task.CompletedTask;
        });
    }

    /// <summary>An ISO 8601 time.</summary>
    public static void Time(OpenApiSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        schema.Type = JsonSchemaType.String;
        schema.Format = "date-time";
    }

    /// <summary>A whole number from <paramref name="minimum"/> (to <paramref name="maximum"/> where there is one).</summary>
    public static Action<OpenApiSchema> WholeNumber(long minimum, long? maximum = null) => schema =>
    {
        schema.Type = JsonSchemaType.Integer;
        schema.Minimum = minimum.ToString(System.Globalization.CultureInfo.InvariantCulture);
        schema.Maximum = maximum?.ToString(System.Globalization.CultureInfo.InvariantCulture);
    };

    /// <summary>One of <paramref name="values"/>.</summary>
    public static Action<OpenApiSchema> OneOf(params string[] values) => schema =>
    {
        schema.Type = JsonSchemaType.String;
        schema.Enum = [.. values.Select(value => (JsonNode)JsonValue.Create(value))];
    };

    private static OpenApiResponse Response(OpenApiOperation operation, int status)
    {
        var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        operation.Responses ??= [];
        if (!operation.Responses.TryGetValue(key, out var response))
        {
            response = new OpenApiResponse { Description = Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status) };
            operation.Responses[key] = response;
        }

        return response as OpenApiResponse ?? throw new InvalidOperationException($"the {key} response is a reference, not described in place");
    }

    /// <summary>One answer an endpoint gives, as the API explorer reads it, with the sentence that says when.</summary>
    private sealed record ApiResponse(int StatusCode, Type? Type, string? Description, IEnumerable<string> ContentTypes) : IProducesResponseTypeMetadata;
}
