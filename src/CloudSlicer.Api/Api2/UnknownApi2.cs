using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CloudSlicer.Api.Api2;

public static class UnknownApi2
{
    /// <summary>Any other /api2 path answers in the envelope, naming what this server does implement.</summary>
    public static void MapUnknownApi2(this IEndpointRouteBuilder routes) =>
        routes.Map("/api2/{**path}", (string? path) => Api2Results.Error(
            $"/api2/{path} is not an endpoint of this server; it implements /api2/cloudslicer/jobs/create, get, list, cancel and delete"))
            .WithMetadata(UnknownPathMarker.Instance);
}

/// <summary>Marks the catch-all: an unknown path is answered as such before any signature check.</summary>
public sealed class UnknownPathMarker
{
    public static readonly UnknownPathMarker Instance = new();

    private UnknownPathMarker()
    {
    }
}
