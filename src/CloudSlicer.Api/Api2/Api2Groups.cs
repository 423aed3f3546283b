using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CloudSlicer.Api.Api2;

public static class Api2Groups
{
    /// <summary>
    /// Maps an api2 route group (<c>/api2/cloudslicer</c>, <c>/api2/asset</c>, <c>/api2/library</c>): every endpoint
    /// in it carries <see cref="Api2Signed"/>, so <see cref="Api2Middleware"/> verifies it and answers in the envelope
    /// whatever the case the path arrived in. There is no other way to map a handler that binds <see cref="Api2Request"/>.
    /// </summary>
    public static RouteGroupBuilder MapApi2Group(this IEndpointRouteBuilder routes, string prefix) =>
        routes.MapGroup(prefix).WithMetadata(Api2Signed.Instance).DisableAntiforgery();
}

/// <summary>Endpoint metadata: the endpoint is reached only through a verified api2 signature.</summary>
public sealed class Api2Signed
{
    public static readonly Api2Signed Instance = new();

    private Api2Signed()
    {
    }
}
