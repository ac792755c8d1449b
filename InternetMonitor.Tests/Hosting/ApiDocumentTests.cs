using System.Text.Json;
using InternetMonitor.Probe.Hosting;
using InternetMonitor.Tests.History;
using InternetMonitor.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;

namespace InternetMonitor.Tests.Hosting;

/// <summary>
/// The API document a probe generates at <c>/openapi/v1.json</c>, held against what the probe maps and serves: OpenAPI
/// 3.1, every route with its methods (read from the probe's own endpoints, not a list), every CSV variant a route serves
/// (found by asking each route for one) with its parameter and the header line it really sends, and a summary, a tag and
/// a sentence for every answer.
/// </summary>
[Trait(Layer.Key, Layer.Unit)]
public sealed class ApiDocumentTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("im-api-document-").FullName;
    private WebApplication? _probe;
    private HttpClient? _http;
    private JsonDocument? _document;

    private HttpClient Http => _http!;

    private JsonElement Paths => _document!.RootElement.GetProperty("paths");

    public async ValueTask InitializeAsync()
    {
        var path = Path.Combine(_folder, "history.db");
        KnownHistory.Write(path, KnownHistory.Hour());
        _probe = await ProbeHost.StartAsync($"--Monitor:History:Path={path}");
        _http = new HttpClient { BaseAddress = ProbeHost.BaseAddress(_probe) };
        using var response = await Http.GetAsync(new Uri(ApiDocument.Path, UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        _document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    public async ValueTask DisposeAsync()
    {
        _document?.Dispose();
        _http?.Dispose();
        if (_probe is not null)
        {
            await _probe.StopAsync(CancellationToken.None);
            await _probe.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public void The_document_is_openapi_3_1_and_describes_every_route_the_probe_maps_with_its_methods()
    {

        Assert.Matches(@"^3\.1\.\d+$", _document!.RootElement.GetProperty("openapi").GetString());
        Assert.Equal(ApiDocument.Title, _document.RootElement.GetProperty("info").GetProperty("title").GetString());
        var mapped = Routes().SelectMany(route => route.Methods.Select(method => $"{method} {route.Path}")).Order(StringComparer.Ordinal).ToList();
        var described = Paths.EnumerateObject().SelectMany(path => path.Value.EnumerateObject().Select(operation => $"{operation.Name.ToUpperInvariant()} {path.Name}")).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(mapped, described);
        Assert.Contains("GET /api/history/speedtests", described); // the routes were read, not an empty list twice
        Assert.Contains("GET /metrics", described);
        Assert.Contains("GET /health", described);
        Assert.Contains("GET " + ApiDocument.Path, described);
    }

    [Fact]
    public async Task Every_csv_variant_a_route_serves_is_described_with_its_format_parameter_and_the_header_it_sends()
    {

        var variants = 0;
        foreach (var route in Routes().Where(route => route.Methods.Contains("GET") && !route.Path.Contains('{', StringComparison.Ordinal)))
        {
            // format=csv on the route itself, and the route with .csv appended (a route of its own, if the probe maps one).
            using (var response = await Http.GetAsync(new Uri(route.Path + "?format=csv", UriKind.Relative), TestContext.Current.CancellationToken))
            {
                if (response.Content.Headers.ContentType?.MediaType == "text/csv")
                {
                    variants++;
                    var operation = Paths.GetProperty(route.Path).GetProperty("get");
                    var format = operation.GetProperty("parameters").EnumerateArray().Single(parameter => parameter.GetProperty("name").GetString() == "format");
                    Assert.Contains("csv", format.GetProperty("schema").GetProperty("enum").EnumerateArray().Select(value => value.GetString()));
                    var csv = operation.GetProperty("responses").GetProperty("200").GetProperty("content").GetProperty("text/csv");
                    var served = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
                    Assert.Equal(served.Split("\r\n")[0], csv.GetProperty("example").GetString()!.TrimEnd());
                }
            }

            using var suffixed = await Http.GetAsync(new Uri(route.Path + ".csv", UriKind.Relative), TestContext.Current.CancellationToken);
            if (suffixed.Content.Headers.ContentType?.MediaType == "text/csv")
            {
                variants++;
                Assert.True(Paths.TryGetProperty(route.Path + ".csv", out _), $"{route.Path}.csv serves CSV and is not in the document");
            }
        }

        Assert.Equal(5, variants); // the history's four pages of rows and its availability
    }

    [Fact]
    public void Every_operation_has_a_summary_and_a_tag_and_every_answer_a_sentence_of_its_own()
    {

        var declared = _document!.RootElement.GetProperty("tags").EnumerateArray().Select(tag => tag.GetProperty("name").GetString()).ToHashSet();
        foreach (var path in Paths.EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                var name = $"{operation.Name} {path.Name}";
                Assert.False(string.IsNullOrWhiteSpace(operation.Value.GetProperty("summary").GetString()), name);
                var tags = operation.Value.GetProperty("tags").EnumerateArray().Select(tag => tag.GetString()).ToList();
                Assert.NotEmpty(tags);
                Assert.All(tags, tag => Assert.Contains(tag, declared));
                foreach (var response in operation.Value.GetProperty("responses").EnumerateObject())
                {
                    var description = response.Value.GetProperty("description").GetString();
                    Assert.True(description != ReasonPhrases.GetReasonPhrase(int.Parse(response.Name, System.Globalization.CultureInfo.InvariantCulture)), $"{name} {response.Name}: only the reason phrase");
                    Assert.True(response.Value.TryGetProperty("content", out var content) && content.EnumerateObject().Any(), $"{name} {response.Name}: no content type");
                }
            }
        }
    }

    [Fact]
    public void The_answers_carry_the_headers_and_schemas_that_clients_rely_on()
    {

        var speedTests = Paths.GetProperty("/api/history/speedtests").GetProperty("get").GetProperty("responses");
        Assert.True(speedTests.GetProperty("200").GetProperty("headers").TryGetProperty("Link", out _));
        Assert.Equal("integer", speedTests.GetProperty("429").GetProperty("headers").GetProperty("Retry-After").GetProperty("schema").GetProperty("type").GetString());
        var rows = speedTests.GetProperty("200").GetProperty("content").GetProperty("application/json").GetProperty("schema");
        Assert.Equal("array", rows.GetProperty("type").GetString());
        var run = Paths.GetProperty("/api/speedtests/run").GetProperty("post").GetProperty("responses");
        Assert.True(run.GetProperty("202").GetProperty("headers").TryGetProperty("Location", out _));
        Assert.True(run.GetProperty("429").GetProperty("headers").TryGetProperty("Retry-After", out _));

        // The records' schemas, from the JSON contracts the endpoints write with: camelCase names, numbers as numbers, the few words a text may be.
        var schemas = _document!.RootElement.GetProperty("components").GetProperty("schemas");
        var speedTest = schemas.GetProperty(rows.GetProperty("items").GetProperty("$ref").GetString()!.Split('/')[^1]).GetProperty("properties");
        Assert.Equal(["cloudflare", "librespeed", "url"], speedTest.GetProperty("serverType").GetProperty("enum").EnumerateArray().Select(value => value.GetString()));
        Assert.Equal("integer", speedTest.GetProperty("downloadBytes").GetProperty("type").GetString());
        Assert.Equal(["null", "number"], speedTest.GetProperty("downloadMbps").GetProperty("type").EnumerateArray().Select(value => value.GetString()).Order(StringComparer.Ordinal));
        var status = schemas.GetProperty("ProbeStatus").GetProperty("properties");
        Assert.Equal(["up", "down", "unknown"], status.GetProperty("state").GetProperty("enum").EnumerateArray().Select(value => value.GetString()));

        // What may be null is not required: the alert log leaves a null out (an alert still firing has no endsAt).
        foreach (var schema in schemas.EnumerateObject().Where(schema => schema.Value.TryGetProperty("required", out _)))
        {
            var nullable = schema.Value.GetProperty("properties").EnumerateObject()
                .Where(property => property.Value.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.Array && type.EnumerateArray().Any(kind => kind.GetString() == "null"))
                .Select(property => property.Name);
            Assert.Empty(schema.Value.GetProperty("required").EnumerateArray().Select(name => name.GetString()).Intersect(nullable));
        }

        Assert.DoesNotContain("endsAt", schemas.GetProperty("AlertNotification").TryGetProperty("required", out var alertRequired) ? alertRequired.EnumerateArray().Select(name => name.GetString()) : []);
    }

    /// <summary>Each route the probe maps, as the document names it, with its methods (GET where a route answers any, as /metrics and /health do).</summary>
    private List<(string Path, HashSet<string> Methods)> Routes() =>
        [.. _probe!.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .GroupBy(endpoint => "/" + endpoint.RoutePattern.RawText!.TrimStart('/'), StringComparer.Ordinal)
            .Select(route => (route.Key, route.SelectMany(endpoint => endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"]).ToHashSet(StringComparer.Ordinal)))];
}
