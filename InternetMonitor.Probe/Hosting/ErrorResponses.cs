using System.Diagnostics;
using Microsoft.AspNetCore.Diagnostics;

namespace InternetMonitor.Probe.Hosting;

/// <summary>
/// What a request that throws is answered: a bad request (a malformed body, a broken chunk size, a body too large) is its
/// status with one sentence, logged at debug; anything else is 500 with a request id, logged once with that id. No
/// answer carries a stack trace.
/// </summary>
public static partial class ErrorResponses
{
    public static WebApplication UseErrorResponses(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            ExceptionHandler = WriteAsync,
            StatusCodeSelector = exception => exception is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError,
            SuppressDiagnosticsCallback = _ => true, // logged by WriteAsync, once, with the request id it answers
        });
        return app;
    }

    private static async Task WriteAsync(HttpContext context)
    {
        var exception = context.Features.Get<IExceptionHandlerFeature>()?.Error;
        var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ErrorResponses).FullName!);
        var path = ClientText.Clean(context.Request.Path.Value, 200);
        string answer;
        if (exception is BadHttpRequestException bad)
        {
            LogBadRequest(logger, context.Request.Method, path, bad.StatusCode, bad.Message);
            answer = $"{ClientText.Clean(bad.Message, 300)}\n";
        }
        else if (exception is OperationCanceledException && context.RequestAborted.IsCancellationRequested)
        {
            return; // the client went away: nobody to answer
        }
        else
        {
            var id = Activity.Current?.TraceId.ToString() ?? context.TraceIdentifier;
            LogFailed(logger, exception, context.Request.Method, path, id);
            answer = $"the probe could not answer this request; its log names the cause under request id {id}\n";
        }

        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync(answer, context.RequestAborted).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Method} {Path} refused with {Status}: {Reason}")]
    private static partial void LogBadRequest(ILogger logger, string method, string path, int status, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Method} {Path} failed (request id {RequestId})")]
    private static partial void LogFailed(ILogger logger, Exception? exception, string method, string path, string requestId);
}
