using System.Text.Json.Serialization.Metadata;
using InternetMonitor.Probe.Hosting;

namespace InternetMonitor.Probe.History;

/// <summary>
/// A page of history rows as the answer to a read: streamed as JSON or CSV (<see cref="HistoryResponse"/>) with the
/// <c>Link</c> to the next page, the page's database snapshot released once it has gone (or the client has).
/// </summary>
public sealed class HistoryPageResult<T>(HistoryPage<T> page, HistoryQuery query, JsonTypeInfo<T> json, string csvHeader, Func<T, object?[]> cells) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        using (page)
        {
            using var work = httpContext.RequestServices.GetRequiredService<MemoryReturn>().Work();
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(httpContext.RequestAborted);
            deadline.CancelAfter(HistoryEndpoints.ResponseTimeLimit);
            if (page.Next is { } next)
            {
                httpContext.Response.Headers.Link = query.NextLink(httpContext.Request, next);
            }

            try
            {
                if (query.Csv)
                {
                    await HistoryResponse.WriteCsvAsync(httpContext.Response, page, csvHeader, cells, deadline.Token).ConfigureAwait(false);
                }
                else
                {
                    await HistoryResponse.WriteJsonAsync(httpContext.Response, page, json, deadline.Token).ConfigureAwait(false);
                }
            }
            catch (HistoryException exception) when (!httpContext.Response.HasStarted)
            {
                httpContext.Response.Clear();
                await HistoryEndpoints.Unreadable(exception).ExecuteAsync(httpContext).ConfigureAwait(false);
            }
            catch (HistoryException)
            {
                // The status line and part of the rows have gone: end the connection, so that the client sees a cut
                // response rather than a short one that looks whole (the reader has logged why).
                httpContext.Abort();
            }
            catch (OperationCanceledException) when (!httpContext.RequestAborted.IsCancellationRequested)
            {
                httpContext.Abort(); // past ResponseTimeLimit: cut, as above
            }
        }
    }
}
