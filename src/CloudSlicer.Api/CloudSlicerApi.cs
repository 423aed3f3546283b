using CloudSlicer.Api.Api2;
using CloudSlicer.Api.Assets;
using CloudSlicer.Api.Jobs;
using CloudSlicer.Api.Libraries;
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
        // Signing and the error envelope come with the group (MapApi2Group), whatever case a path arrives in.
        var api = routes.MapApi2Group("/api2/cloudslicer");

        api.MapMethods("/jobs/create", GetOrPost, JobsApi.Create);
        api.MapMethods("/jobs/get", GetOrPost, JobsApi.Get);
        api.MapMethods("/jobs/list", GetOrPost, JobsApi.List);
        api.MapMethods("/jobs/cancel", GetOrPost, JobsApi.Cancel);
        api.MapMethods("/jobs/delete", GetOrPost, JobsApi.Delete);
        api.MapMethods("/jobs/quickclip", GetOrPost, AssetJobsApi.QuickClip);
        api.MapMethods("/jobs/create_export", GetOrPost, AssetJobsApi.CreateExport);
        api.MapMethods("/jobs/add_track_audio", GetOrPost, AssetJobsApi.AddTrackAudio);
        api.MapMethods("/jobs/add_track_vtt", GetOrPost, AssetJobsApi.AddTrackVtt);
        api.MapMethods("/jobs/replace_track_vtt", GetOrPost, AssetJobsApi.ReplaceTrackVtt);
        api.MapMethods("/jobs/copy-from-library", GetOrPost, LibraryJobsApi.CopyFromLibrary);
        api.MapMethods("/batch/copy-from-library", GetOrPost, LibraryJobsApi.BatchCopyFromLibrary);
        api.MapMethods("/batch/get-job-states", GetOrPost, LibraryJobsApi.GetBatchJobStates);

        var assets = routes.MapApi2Group("/api2/asset");
        assets.MapMethods("/get", GetOrPost, AssetsApi.Get);
        assets.MapMethods("/list", GetOrPost, AssetsApi.List);
        assets.MapMethods("/update", GetOrPost, AssetsApi.Update);
        assets.MapMethods("/delete", GetOrPost, AssetsApi.Delete);

        var libraries = routes.MapApi2Group("/api2/library");
        libraries.MapMethods("/create", GetOrPost, LibrariesApi.Create);
        libraries.MapMethods("/list", GetOrPost, LibrariesApi.List);
        libraries.MapMethods("/add_assets", GetOrPost, LibrariesApi.AddAssets);
        libraries.MapMethods("/remove_assets", GetOrPost, LibrariesApi.RemoveAssets);
        libraries.MapMethods("/share", GetOrPost, LibrariesApi.Share);
        libraries.MapMethods("/unshare", GetOrPost, LibrariesApi.Unshare);
        libraries.MapMethods("/delete", GetOrPost, LibrariesApi.Delete);
        return api;
    }
}
