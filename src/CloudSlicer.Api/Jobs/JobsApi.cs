using System.Text.Json.Nodes;
using CloudSlicer.Api.Api2;
using CloudSlicer.Api.Hosting;
using CloudSlicer.Core;
using CloudSlicer.Core.Jobs;
using CloudSlicer.Core.Jobs.Specs;
using CloudSlicer.Storage.Jobs;
using CloudSlicer.Storage.Secrets;
using Microsoft.AspNetCore.Http;

namespace CloudSlicer.Api.Jobs;

/// <summary>The <c>/api2/cloudslicer/jobs/*</c> handlers. Route table: <see cref="CloudSlicerApi"/>.</summary>
public static class JobsApi
{
    private const int MaxListLimit = 50;
    private const int MaxDeleteIds = 1000;

    // SlicerArgs' messages may quote a value; long enough for any real one, short of echoing a megabyte.
    private const int MaxArgsErrorLength = 300;

    public static async Task<IResult> Create(Api2Request request, IJobQueue queue, PublicUrls urls, SecretBox secrets, CancellationToken cancellationToken)
    {
        var sourceParam = request.GetObject("source");
        var s3 = S3SourceRequest.IsS3(sourceParam) ? S3SourceRequest.Parse(sourceParam!) : null;
        var url = s3 is null ? SourceUrl.Parse(sourceParam) : null;
        if (!SlicerArgs.TryParse(request.GetObject("args"), out var args, out var illegal, out var error))
        {
            throw new Api2Exception($"Bad args: {Api2Echo.Text(error, MaxArgsErrorLength)}");
        }

        // Only the URL is kept from source, and it is echoed without its credentials; the URL as sent goes to the
        // never-echoed spec, where the slicer reads it. An S3 source's key and secret go there sealed.
        var source = s3?.Echo() ?? new JsonObject { ["url"] = SourceRedaction.Redact(url!) };
        var spec = JobSpecs.Write(s3 is null
            ? new CreateSpec(url!.OriginalString)
            : new CreateSpec(s3.Url, secrets.Seal(s3.Credentials.ToJson())));
        var job = await queue.EnqueueAsync(
            new NewJob(request.Owner, JobKind.Create, args.Normalized.ToJsonString(), source.ToJsonString(), spec),
            cancellationToken).ConfigureAwait(false);

        return JobDto.Ok(job, urls, illegal.Count > 0
            ? new JsonObject { ["illegal_slicer_args"] = new JsonArray(illegal.Select(k => (JsonNode?)Api2Echo.Text(k)).ToArray()) }
            : null);
    }

    public static async Task<IResult> Get(Api2Request request, IJobQueue queue, PublicUrls urls, CancellationToken cancellationToken)
    {
        var id = request.RequireString("id");
        var job = Ids.IsValid(id) ? await queue.GetAsync(request.Owner, id, cancellationToken).ConfigureAwait(false) : null;
        return job is null
            ? NotFound(id)
            : JobDto.Ok(job, urls);
    }

    public static async Task<IResult> List(Api2Request request, IJobQueue queue, PublicUrls urls, CancellationToken cancellationToken)
    {
        var limit = request.GetInt("limit", MaxListLimit, min: 0, max: MaxListLimit);
        var skip = request.GetInt("skip", 0, min: 0, max: int.MaxValue);
        var jobs = await queue.ListAsync(request.Owner, limit, skip, cancellationToken).ConfigureAwait(false);
        return Api2Results.Ok(new JsonObject { ["jobs"] = new JsonArray(jobs.Select(j => (JsonNode?)JobDto.From(j, urls)).ToArray()) });
    }

    public static async Task<IResult> Cancel(Api2Request request, IJobQueue queue, PublicUrls urls, CancellationToken cancellationToken)
    {
        var id = request.RequireString("id");
        if (!Ids.IsValid(id))
        {
            return NotFound(id);
        }

        return await queue.CancelAsync(request.Owner, id, cancellationToken).ConfigureAwait(false) switch
        {
            CancelOutcome.Cancelled(var job) => JobDto.Ok(job, urls),
            CancelOutcome.AlreadyFinished(var job) => Api2Results.Error(
                $"Job {id} is already {job.State.ToWire()}; only waiting and assigned jobs can be cancelled"),
            CancelOutcome.NotFound => NotFound(id),
            _ => throw new InvalidOperationException("unknown cancel outcome"),
        };
    }

    public static async Task<IResult> Delete(Api2Request request, IJobQueue queue, CancellationToken cancellationToken)
    {
        var actions = new JsonArray();
        foreach (var id in request.RequireStringList("ids", MaxDeleteIds))
        {
            var outcome = Ids.IsValid(id)
                ? await queue.DeleteAsync(request.Owner, id, cancellationToken).ConfigureAwait(false)
                : DeleteOutcome.NotFound;
            var action = outcome switch
            {
                DeleteOutcome.Deleted => "deleted",
                DeleteOutcome.NotFound => "Not found",
                DeleteOutcome.Assigned => "Job is assigned to a slicer and cannot be deleted; cancel it first",
            };
            actions.Add(new JsonArray(Api2Echo.Text(id), action));
        }

        return Api2Results.Ok(new JsonObject { ["actions"] = actions });
    }

    private static IResult NotFound(string id) => Api2Results.Error($"Not found: there is no job '{Api2Echo.Text(id)}' for this owner");
}
