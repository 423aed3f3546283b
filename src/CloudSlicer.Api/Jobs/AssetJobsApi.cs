using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CloudSlicer.Api.Api2;
using CloudSlicer.Api.Hosting;
using CloudSlicer.Core;
using CloudSlicer.Core.Assets;
using CloudSlicer.Core.Jobs;
using CloudSlicer.Core.Jobs.Specs;
using CloudSlicer.Storage.Assets;
using CloudSlicer.Storage.Jobs;
using Microsoft.AspNetCore.Http;

namespace CloudSlicer.Api.Jobs;

/// <summary>
/// The job endpoints that work on an asset the caller already has: quick clips, exports, alternate audio and
/// caption tracks. Each parses its call into a typed spec (see <see cref="JobRequest"/>), checks it against the
/// asset's record, and queues the job; the slicer does the rest. Route table: <see cref="CloudSlicerApi"/>.
/// </summary>
public static class AssetJobsApi
{
    private const string ExternalPrefix = "ext:";

    public static async Task<IResult> QuickClip(Api2Request request, IJobQueue queue, IAssetStore assets, PublicUrls urls, CancellationToken cancellationToken)
    {
        var parsed = QuickClipRequest.Parse(request);
        var spec = parsed.Spec;
        var asset = await RequireAssetAsync(assets, request.Owner, spec.Asset, "args.beam_id", cancellationToken).ConfigureAwait(false);
        var lengthMs = (long)Math.Round(asset.Duration * 1000);
        if (spec.OffsetMs >= lengthMs || spec.OffsetMs + spec.DurationMs > lengthMs + 1)
        {
            throw new Api2Exception(string.Create(CultureInfo.InvariantCulture,
                $"source.trim [{spec.OffsetMs}, {spec.DurationMs}] ends at {(spec.OffsetMs + spec.DurationMs) / 1000.0:0.###} s, past the end of asset {asset.Id} ({asset.Duration:0.###} s); choose a range inside it"));
        }

        if (spec.PosterMs is { } poster && poster > lengthMs)
        {
            throw new Api2Exception(string.Create(CultureInfo.InvariantCulture,
                $"args.poster_ts is {poster / 1000.0:0.###} s from the asset's start, past its end ({asset.Duration:0.###} s)"));
        }

        parsed.Source["url"] = urls.Playback(asset.Id);
        return await EnqueueAsync(request, queue, urls, parsed, cancellationToken).ConfigureAwait(false);
    }

    public static async Task<IResult> CreateExport(Api2Request request, IJobQueue queue, IAssetStore assets, PublicUrls urls, CancellationToken cancellationToken)
    {
        var parsed = ExportRequest.Parse(request);
        await RequireAssetAsync(assets, request.Owner, parsed.Asset!, "asset", cancellationToken).ConfigureAwait(false);
        return await EnqueueAsync(request, queue, urls, parsed, cancellationToken).ConfigureAwait(false);
    }

    public static async Task<IResult> AddTrackAudio(Api2Request request, IJobQueue queue, IAssetStore assets, PublicUrls urls, CancellationToken cancellationToken)
    {
        var asset = await ResolveAssetAsync(assets, request, cancellationToken).ConfigureAwait(false);
        var parsed = AudioTrackRequest.Parse(request, asset.Id);
        // Counted as the slicer counts them: the asset's own audio is not an alternate, and a dolby track's E-AC-3
        // rendition belongs to its AAC one.
        var existing = asset.Renditions.Count(r => r.Kind == Rendition.Audio && r.Codec != "eac3" && r.Name != Media.Ffmpeg.FfmpegCommands.AudioRendition);
        var adding = parsed.Spec.Tracks.Count;
        if (existing + adding > AudioTrackSpec.MaxTracks)
        {
            throw new Api2Exception($"The asset has {existing} alternate audio tracks; adding {adding} would pass the limit of {AudioTrackSpec.MaxTracks}");
        }

        return await EnqueueAsync(request, queue, urls, parsed, cancellationToken).ConfigureAwait(false);
    }

    public static Task<IResult> AddTrackVtt(Api2Request request, IJobQueue queue, IAssetStore assets, PublicUrls urls, CancellationToken cancellationToken) =>
        VttAsync(request, queue, assets, urls, replace: false, cancellationToken);

    public static Task<IResult> ReplaceTrackVtt(Api2Request request, IJobQueue queue, IAssetStore assets, PublicUrls urls, CancellationToken cancellationToken) =>
        VttAsync(request, queue, assets, urls, replace: true, cancellationToken);

    private static async Task<IResult> VttAsync(Api2Request request, IJobQueue queue, IAssetStore assets, PublicUrls urls, bool replace, CancellationToken cancellationToken)
    {
        // An ext: asset whose create job is still running has no record yet (or is about to be replaced): say so.
        if (request.Params["asset"] is JsonValue ext && ext.GetValueKind() == JsonValueKind.String
            && ext.GetValue<string>() is { } text && text.StartsWith(ExternalPrefix, StringComparison.Ordinal) && text.Length > ExternalPrefix.Length)
        {
            await RefuseWhileBusyAsync(queue, request.Owner, null, text[ExternalPrefix.Length..], text, cancellationToken).ConfigureAwait(false);
        }

        var asset = await ResolveAssetAsync(assets, request, cancellationToken).ConfigureAwait(false);
        await RefuseWhileBusyAsync(queue, request.Owner, asset.Id, asset.ExternalId, asset.Id, cancellationToken).ConfigureAwait(false);
        var existing = asset.Renditions.Count(r => r.Kind == Rendition.Subtitles);
        var parsed = VttTrackRequest.Parse(request, asset.Id, existing, replace);
        return await EnqueueAsync(request, queue, urls, parsed, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Captions are made on the asset's record as it stands: while a job still makes or changes the asset, the
    /// track would be built on what that job is about to replace.
    /// </summary>
    private static async Task RefuseWhileBusyAsync(IJobQueue queue, string owner, string? asset, string? externalId, string named, CancellationToken cancellationToken)
    {
        if (await queue.FindActiveWorkAsync(owner, asset, externalId, cancellationToken).ConfigureAwait(false) is { } busy)
        {
            throw new Api2Exception(
                $"Asset {Api2Echo.Text(named)} is still being {(busy.Kind == JobKind.Create ? "sliced" : "changed")}: job {busy.Id} ({busy.Kind.ToWire()}) is {busy.State.ToWire()}; "
                + "add or replace captions once it is done");
        }
    }

    internal static async Task<IResult> EnqueueAsync<TSpec>(Api2Request request, IJobQueue queue, PublicUrls urls, JobRequest<TSpec> parsed, CancellationToken cancellationToken)
        where TSpec : class
    {
        var job = await queue.EnqueueAsync(
            new NewJob(request.Owner, parsed.Kind, parsed.Args.ToJsonString(), parsed.Source.ToJsonString(), parsed.SpecJson, parsed.Asset),
            cancellationToken).ConfigureAwait(false);
        return JobDto.Ok(job, urls);
    }

    /// <summary><c>asset</c>: an asset id, or <c>ext:&lt;external_id&gt;</c> for the caller's asset with that external id.</summary>
    private static async Task<AssetManifest> ResolveAssetAsync(IAssetStore assets, Api2Request request, CancellationToken cancellationToken)
    {
        var value = request.Params["asset"];
        if (value is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>() is { } text
            && text.StartsWith(ExternalPrefix, StringComparison.Ordinal))
        {
            var externalId = text[ExternalPrefix.Length..];
            return (externalId.Length is > 0 and <= AssetSettings.MaxExternalIdLength
                    ? await assets.GetByExternalIdAsync(request.Owner, externalId, cancellationToken).ConfigureAwait(false)
                    : null)
                ?? throw new Api2Exception($"Not found: you have no asset with external_id '{Api2Echo.Text(externalId)}'");
        }

        return await RequireAssetAsync(assets, request.Owner, Api2Values.AssetId(value, "asset"), "asset", cancellationToken).ConfigureAwait(false);
    }

    private static async Task<AssetManifest> RequireAssetAsync(IAssetStore assets, string owner, string id, string name, CancellationToken cancellationToken) =>
        (Ids.IsValid(id) ? await assets.GetAsync(owner, id, cancellationToken).ConfigureAwait(false) : null)
        ?? throw new Api2Exception($"Not found: {name} '{Api2Echo.Text(id)}' is not an asset of yours (an asset that is still being sliced has no id yet: wait for its job to be done)");
}
