using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace CloudSlicer.Api.Api2;

public static class UnknownApi2
{
    /// <summary>
    /// Any other /api2 path (in any case, with any method) answers in the envelope, naming what this server does
    /// implement. Not in an api2 group, so it answers before any signature check: it serves nothing.
    /// </summary>
    public static void MapUnknownApi2(this IEndpointRouteBuilder routes) =>
        routes.Map("/api2/{**path}", (string? path) => Api2Results.Error(
            $"/api2/{Api2Echo.Text(path ?? "")} is not an endpoint of this server; it implements /api2/cloudslicer/jobs/create, get, list, cancel, delete, quickclip, create_export, add_track_audio, add_track_vtt, replace_track_vtt and copy-from-library, /api2/cloudslicer/batch/copy-from-library and get-job-states, /api2/asset/get, list, update and delete, and /api2/library/create, list, add_assets, remove_assets, share, unshare and delete"));
}
