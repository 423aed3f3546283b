using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CloudSlicer.Api.Api2;

/// <summary>
/// In front of every endpoint that carries <see cref="Api2Signed"/> (every api2 route group): reads <c>msg</c> and
/// <c>sig</c> from the POST form or the GET query, verifies them, and turns every failure (bad signature, bad
/// parameter, unreadable request, unexpected fault) into the api2 error envelope, so no handler can forget to.
/// It runs after routing and decides by the endpoint, not by the spelling of the path: routing ignores case,
/// so a path prefix would let <c>/API2/...</c> through unsigned. A middleware rather than an endpoint filter
/// because minimal APIs bind handler parameters before filters run, and <see cref="Api2Request"/> is a parameter.
/// </summary>
public sealed partial class Api2Middleware
{
    private readonly RequestDelegate _next;
    private readonly Api2Authenticator _authenticator;
    private readonly Api2Options _options;
    private readonly ILogger<Api2Middleware> _logger;

    public Api2Middleware(
        RequestDelegate next,
        Api2Authenticator authenticator,
        IOptions<Api2Options> options,
        ILogger<Api2Middleware> logger,
        IEnumerable<EndpointDataSource> endpoints)
    {
        _next = next;
        _authenticator = authenticator;
        _options = options.Value;
        _logger = logger;

        // Built once the route table is complete: a handler that binds Api2Request outside an api2 group would
        // be reachable unsigned, so the server refuses to start rather than serve it.
        RequireSignedGroups(endpoints);
    }

    public async Task InvokeAsync(HttpContext http)
    {
        if (http.GetEndpoint()?.Metadata.GetMetadata<Api2Signed>() is null)
        {
            await _next(http).ConfigureAwait(false);
            return;
        }

        IResult? failure;
        try
        {
            var (msg, sig) = await ReadFieldsAsync(http, _options.MaxMessageBytes).ConfigureAwait(false);
            var caller = await _authenticator.AuthenticateAsync(msg, sig, http.RequestAborted).ConfigureAwait(false);
            http.Items[Api2Request.ItemKey] = new Api2Request(caller.Owner, caller.Params);
            await _next(http).ConfigureAwait(false);
            return;
        }
        catch (Exception ex) when (http.RequestAborted.IsCancellationRequested && ex is OperationCanceledException or IOException)
        {
            return;   // the client went away
        }
        catch (Api2Exception ex)
        {
            failure = Api2Results.Error(ex.Message);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            http.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            failure = Api2Results.Error($"The request body is over the {Api2Message.FormatSize(_options.MaxMessageBytes)} limit of api2 requests; send fewer or smaller parameters");
        }
        catch (BadHttpRequestException ex)
        {
            // A body cut short or malformed at the HTTP level: the client's fault, reported with Kestrel's status.
            LogUnreadable(_logger, http.Request.Path, ex.Message);
            http.Response.StatusCode = ex.StatusCode;
            failure = Api2Results.Error($"The request could not be read ({ex.Message}); send msg and sig as application/x-www-form-urlencoded form fields");
        }
        catch (Exception ex) when (StoreUnavailable(ex))
        {
            // A database restart or fail-over: the client's retry in a few seconds will do, so say so plainly.
            LogStoreUnavailable(_logger, http.Request.Path, ex);
            failure = Api2Results.Error("The job store did not answer (the database may be restarting); try again in a few seconds");
        }
        catch (Exception ex)
        {
            LogUnexpected(_logger, http.Request.Path, ex);
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

            // What every api2 client sends: read off the pipe. Anything else (a charset, multipart) takes the
            // framework's form reader, which knows those.
            if (string.Equals(request.ContentType, Api2Form.ContentType, StringComparison.OrdinalIgnoreCase))
            {
                return await Api2Form.ReadAsync(request.BodyReader, http.RequestAborted).ConfigureAwait(false);
            }

            IFormCollection form;
            try
            {
                form = await request.ReadFormAsync(http.RequestAborted).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is InvalidDataException
                || (ex is IOException and not BadHttpRequestException && !http.RequestAborted.IsCancellationRequested))
            {
                // The form reader's own limits (1024 fields, 2 KiB names) and malformed multipart bodies (which
                // end in an IOException). Kestrel's BadHttpRequestException, an IOException too, keeps its status.
                throw new Api2Exception($"The form could not be read: {ex.Message} Send only msg and sig, as application/x-www-form-urlencoded fields", ex);
            }

            return (form["msg"].FirstOrDefault(), form["sig"].FirstOrDefault());
        }

        if (request.Query.ContainsKey("msg") || request.Query.ContainsKey("sig"))
        {
            return (request.Query["msg"].FirstOrDefault(), request.Query["sig"].FirstOrDefault());
        }

        throw new Api2Exception("Send msg and sig as form fields (POST, application/x-www-form-urlencoded) or in the query string (GET)");
    }

    private static void RequireSignedGroups(IEnumerable<EndpointDataSource> sources)
    {
        foreach (var endpoint in sources.SelectMany(source => source.Endpoints))
        {
            if (endpoint.Metadata.GetMetadata<Api2Signed>() is null
                && endpoint.Metadata.GetMetadata<MethodInfo>() is { } handler
                && handler.GetParameters().Any(parameter => parameter.ParameterType == typeof(Api2Request)))
            {
                throw new InvalidOperationException(
                    $"{endpoint.DisplayName} binds Api2Request but is not in an api2 group, so it would be reachable unsigned; map it under routes.MapApi2Group(prefix)");
            }
        }
    }

    [LoggerMessage(EventId = 200, Level = LogLevel.Error, Message = "Unexpected failure handling {Path}")]
    private static partial void LogUnexpected(ILogger logger, PathString path, Exception exception);

    // Connection failures and "starting up"/"too many connections" answers; every ADO.NET provider marks them transient.
    private static bool StoreUnavailable(Exception ex)
    {
        for (var e = (Exception?)ex; e is not null; e = e.InnerException)
        {
            if (e is System.Data.Common.DbException { IsTransient: true })
            {
                return true;
            }
        }

        return false;
    }

    [LoggerMessage(EventId = 202, Level = LogLevel.Warning, Message = "The job store did not answer while handling {Path}")]
    private static partial void LogStoreUnavailable(ILogger logger, PathString path, Exception exception);

    [LoggerMessage(EventId = 201, Level = LogLevel.Debug, Message = "Unreadable api2 request to {Path}: {Reason}")]
    private static partial void LogUnreadable(ILogger logger, PathString path, string reason);
}

public static class Api2MiddlewareExtensions
{
    /// <summary>
    /// Verifies the signature of every request routed to an api2 group (<see cref="Api2Groups.MapApi2Group"/>);
    /// there is no per-endpoint opt-in. Runs after routing (WebApplication routes first unless told otherwise).
    /// </summary>
    public static IApplicationBuilder UseApi2Signing(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);

        // The route table being built on this app; the middleware checks it once every route is mapped.
        var endpoints = (app as IEndpointRouteBuilder)?.DataSources ?? [];
        return app.UseMiddleware<Api2Middleware>(endpoints);
    }
}
