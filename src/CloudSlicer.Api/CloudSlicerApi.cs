using CloudSlicer.Api.Jobs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CloudSlicer.Api;

public static class CloudSlicerApi
{
    private static readonly string[] GetOrPost = [HttpMethods.Get, HttpMethods.Post];

    /// <summary>The whole api2 route table. Paths are the protocol's, verbatim.</summary>
    public static RouteGroupBuilder MapCloudSlicerApi(this IEndpointRouteBuilder routes)
    {
        // Signing and the error envelope are applied to the whole prefix by Api2Middleware (UseApi2Signing).
        var api = routes.MapGroup("/api2/cloudslicer").DisableAntiforgery();

        api.MapMethods("/jobs/create", GetOrPost, JobsApi.Create);
        api.MapMethods("/jobs/get", GetOrPost, JobsApi.Get);
        api.MapMethods("/jobs/list", GetOrPost, JobsApi.List);
        api.MapMethods("/jobs/cancel", GetOrPost, JobsApi.Cancel);
        api.MapMethods("/jobs/delete", GetOrPost, JobsApi.Delete);
        return api;
    }
}
