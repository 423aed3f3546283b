using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CloudSlicer.Api.Api2;

/// <summary>
/// In front of every <c>/api2</c> path: reads <c>msg</c> and <c>sig</c> from the POST form or the GET query,
/// verifies them, and turns every failure (bad signature, bad parameter, unexpected fault) into the api2
/// error envelope, so no handler can forget to. A middleware rather than an endpoint filter because
/// minimal APIs bind handler parameters before filters run, and <see cref="Api2Request"/> is a parameter.
/// </summary>
public sealed partial class Api2Middleware(RequestDelegate next, Api2Authenticator authenticator, IOptions<Api2Options> options, ILogger<Api2Middleware> logger)
{
    public async Task InvokeAsync(HttpContext http)
    {
        if (http.GetEndpoint()?.Metadata.GetMetadata<UnknownPathMarker>() is not null)
        {
            await next(http).ConfigureAwait(false);
            return;
        }

        IResult? failure;
        try
        {
            var (msg, sig) = await ReadFieldsAsync(http, options.Value.MaxMessageBytes).ConfigureAwait(false);
            var caller = await authenticator.AuthenticateAsync(msg, sig, http.RequestAborted).ConfigureAwait(false);
            http.Items[Api2Request.ItemKey] = new Api2Request(caller.Owner, caller.Params);
            await next(http).ConfigureAwait(false);
            return;
        }
        catch (Api2Exception ex)
        {
            failure = Api2Results.Error(ex.Message);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            http.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            failure = Api2Results.Error($"The request body is larger than {options.Value.MaxMessageBytes} bytes; api2 requests are limited to 1 MiB");
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            return;   // the client went away
        }
        catch (Exception ex)
        {
            LogUnexpected(logger, http.Request.Path, ex);
            failure = Api2Results.Error($"Internal error while handling {http.Request.Path} (trace {http.TraceIdentifier}); try again, and if it persists report the trace id");
        }

        if (!http.Response.HasStarted)
        {
            await failure.ExecuteAsync(http).ConfigureAwait(false);
        }
    }

    private static async Task<(string? Msg, string? Sig)> ReadFieldsAsync(HttpContext http, int maxBytes)
    {
        var request = http.Request;
        if (HttpMethods.IsPost(request.Method) && request.HasFormContentType)
        {
            if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            {
                limit.MaxRequestBodySize = maxBytes;
            }

            if (request.ContentLength > maxBytes)
            {
                throw new BadHttpRequestException("body too large", StatusCodes.Status413PayloadTooLarge);
            }

            var form = await request.ReadFormAsync(http.RequestAborted).ConfigureAwait(false);
            return (form["msg"].FirstOrDefault(), form["sig"].FirstOrDefault());
        }

        if (request.Query.ContainsKey("msg") || request.Query.ContainsKey("sig"))
        {
            return (request.Query["msg"].FirstOrDefault(), request.Query["sig"].FirstOrDefault());
        }

        throw new Api2Exception("Send msg and sig as form fields (POST, application/x-www-form-urlencoded) or in the query string (GET)");
    }

    [LoggerMessage(EventId = 200, Level = LogLevel.Error, Message = "Unexpected failure handling {Path}")]
    private static partial void LogUnexpected(ILogger logger, PathString path, Exception exception);
}

public static class Api2MiddlewareExtensions
{
    /// <summary>Every call under <c>/api2/cloudslicer</c> is signed; there is no per-endpoint opt-in.</summary>
    public static IApplicationBuilder UseApi2Signing(this IApplicationBuilder app) =>
        app.UseWhen(
            http => http.Request.Path.StartsWithSegments("/api2/cloudslicer", StringComparison.Ordinal),
            branch => branch.UseMiddleware<Api2Middleware>());
}
