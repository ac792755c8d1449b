namespace InternetMonitor.Probe.Hosting;

/// <summary>The probe's HTTP API described in OpenAPI 3.1 (Hosting/openapi.json, embedded), at <c>/openapi/v1.json</c>.</summary>
public static class ApiDocument
{
    public const string Path = "/openapi/v1.json";

    public static WebApplication MapApiDocument(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var document = Read();
        app.MapGet(Path, context => Results.Text(document, "application/json; charset=utf-8").ExecuteAsync(context));
        return app;
    }

    public static string Read() => EmbeddedText.Read("InternetMonitor.Probe.Hosting.openapi.json");
}
