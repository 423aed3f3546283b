using System.Text.Json.Nodes;
using CloudSlicer.Api.Api2;
using CloudSlicer.Api.Hosting;
using CloudSlicer.Core;
using CloudSlicer.Core.Jobs;
using CloudSlicer.Core.Jobs.Specs;
using CloudSlicer.Storage.Jobs;
using CloudSlicer.Storage.Libraries;
using Microsoft.AspNetCore.Http;

namespace CloudSlicer.Api.Jobs;

/// <summary>
/// Copies from shared libraries: <c>/jobs/copy-from-library</c> (one asset), <c>/batch/copy-from-library</c> (a batch
/// of them) and <c>/batch/get-job-states</c>. Only an asset the caller owns or finds in a library shared with it can
/// be copied; any other id is "Not found", whether it exists or not. Route table: <see cref="CloudSlicerApi"/>.
/// </summary>
public static class LibraryJobsApi
{
    private const int MaxBatchAssets = 1000;

    public static async Task<IResult> CopyFromLibrary(Api2Request request, IJobQueue queue, ILibraryStore libraries, PublicUrls urls, CancellationToken cancellationToken)
    {
        // A malformed id is "Not found" too, in the same words as any other id the caller may not copy.
        var asset = request.RequireString("asset_id");
        if (!Ids.IsValid(asset) || !await libraries.CanReadAsync(request.Owner, asset, cancellationToken).ConfigureAwait(false))
        {
            throw NotFound([asset]);
        }

        var job = await queue.EnqueueAsync(CopyJob(request.Owner, asset, batch: null), cancellationToken).ConfigureAwait(false);
        return JobDto.Ok(job, urls);
    }

    public static async Task<IResult> BatchCopyFromLibrary(Api2Request request, IJobQueue queue, ILibraryStore libraries, CancellationToken cancellationToken)
    {
        var ids = request.RequireStringList("asset_ids", MaxBatchAssets).Distinct(StringComparer.Ordinal).ToList();
        if (ids.Count == 0)
        {
            throw new Api2Exception("asset_ids is empty; give the ids of the assets to copy");
        }

        var missing = new List<string>();
        foreach (var id in ids)
        {
            if (!Ids.IsValid(id) || !await libraries.CanReadAsync(request.Owner, id, cancellationToken).ConfigureAwait(false))
            {
                missing.Add(id);
            }
        }

        // All or nothing: a batch that silently skipped some of the asked assets would look complete when it is not.
        if (missing.Count > 0)
        {
            throw NotFound(missing);
        }

        var batch = Ids.New();
        await queue.EnqueueBatchAsync(request.Owner, batch, ids.Select(id => new BatchEntry(CopyJob(request.Owner, id, batch), id)).ToList(), cancellationToken)
            .ConfigureAwait(false);
        return Api2Results.Ok(new JsonObject { ["batch_id"] = batch });
    }

    /// <summary>
    /// <c>states</c>: for each state that some copy of the batch is in, the ids of the assets (as asked to be copied)
    /// in it, as the seed's sample shows; <c>jobs</c> adds each copy's job id and, once done, the copy's own asset id.
    /// </summary>
    public static async Task<IResult> GetBatchJobStates(Api2Request request, IJobQueue queue, CancellationToken cancellationToken)
    {
        var id = request.RequireString("id");
        var states = Ids.IsValid(id) ? await queue.GetBatchAsync(request.Owner, id, cancellationToken).ConfigureAwait(false) : null;
        if (states is null)
        {
            return Api2Results.Error($"Not found: there is no batch '{Api2Echo.Text(id)}' for this owner");
        }

        var byState = new JsonObject();
        foreach (var group in states.GroupBy(s => s.State.ToWire()))
        {
            byState[group.Key] = new JsonArray([.. group.Select(s => (JsonNode?)s.Asset)]);
        }

        var jobs = new JsonArray([.. states.Select(s => (JsonNode?)new JsonObject
        {
            ["asset_id"] = s.Asset,
            ["job"] = s.Job,
            ["state"] = s.State.ToWire(),
            ["asset"] = s.Output,
        })]);
        return Api2Results.Ok(new JsonObject { ["states"] = byState, ["jobs"] = jobs });
    }

    private static NewJob CopyJob(string owner, string asset, string? batch) => new(
        owner, JobKind.CopyFromLibrary, "{}", new JsonObject { ["beam_id"] = asset }.ToJsonString(), JobSpecs.Write(new CopySpec(asset, batch)));

    private static Api2Exception NotFound(List<string> ids) => new(
        $"Not found: {string.Join(", ", ids.Take(5).Select(id => $"'{Api2Echo.Text(id)}'"))}{(ids.Count > 5 ? $" and {ids.Count - 5} more" : "")} "
        + "is not an asset of yours or in a library shared with you");
}
