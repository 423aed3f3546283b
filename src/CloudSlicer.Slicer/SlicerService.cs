using CloudSlicer.Slicer.Handlers;
using CloudSlicer.Storage.Jobs;
using CloudSlicer.Storage.Slicers;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CloudSlicer.Slicer;

/// <summary>
/// Runs <see cref="SlicerOptions.Count"/> slicers: each claims a job, keeps its lease, hands it to the
/// handler for its kind, and records the outcome. The slicers are in the <see cref="ISlicerRegistry"/>, with
/// the kinds they can do, while they run. The same service runs inside <c>serve</c> and in
/// <c>cloudslicer slicer</c>; only the store behind <see cref="IJobQueue"/> differs.
/// </summary>
public sealed class SlicerService(
    IJobQueue queue,
    JobSignals signals,
    ISlicerRegistry registry,
    IEnumerable<IJobHandler> handlers,
    IOptions<SlicerOptions> options,
    TimeProvider clock,
    ILogger<SlicerService> logger) : BackgroundService
{
    private readonly Dictionary<Core.Jobs.JobKind, IJobHandler> _handlers = handlers.ToDictionary(h => h.Kind);
    private string _workRoot = "";

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.Count == 0)
        {
            return Task.CompletedTask;
        }

        var root = WorkRoot.Acquire(options.Value.WorkDirectory);
        _workRoot = root.Path;
        var (host, pid) = (Environment.MachineName, Environment.ProcessId);
        var slicers = IdsFor(options.Value.Count)
            .Select(id => new SlicerRegistration(id, host, pid, _handlers.Keys, options.Value.RegistryInterval))
            .ToList();
        return RunAsync(root, new SlicerPresence(registry, slicers, clock, logger), slicers, stoppingToken);
    }

    /// <summary>The ids this process's <paramref name="count"/> slicers claim jobs and register under: <c>{host}:{pid}:{i}</c>.</summary>
    public static IReadOnlyList<string> IdsFor(int count) =>
        Enumerable.Range(0, count).Select(i => $"{Environment.MachineName}:{Environment.ProcessId}:{i}").ToList();

    private async Task RunAsync(WorkRoot root, SlicerPresence presence, List<SlicerRegistration> slicers, CancellationToken stoppingToken)
    {
        using var heldRoot = root;   // released (and removed) only after every job was handed back
        await presence.RegisterAsync(stoppingToken).ConfigureAwait(false);
        try
        {
            await Task.WhenAll(slicers
                .Select(s => Task.Run(() => RunSlicerAsync(s.Id, presence, stoppingToken), stoppingToken))
                .Append(Task.Run(() => presence.BeatAsync(options.Value.RegistryInterval, stoppingToken), stoppingToken)))
                .ConfigureAwait(false);
        }
        finally
        {
            // After every job was handed back: until then the slicers are still there, finishing up.
            await presence.RemoveAsync().ConfigureAwait(false);
        }
    }

    private async Task RunSlicerAsync(string slicer, SlicerPresence presence, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // Taken before the claim: a job committed after the claim's snapshot announces itself meanwhile, and
                // must wake this slicer now rather than at its next poll (IdlePoll, seconds).
                var nextWork = signals.NextWork;
                var claimed = await queue.TryClaimAsync(slicer, _handlers.Keys, stoppingToken).ConfigureAwait(false);
                if (claimed is null)
                {
                    await JobSignals.WaitForWorkAsync(nextWork, options.Value.IdlePoll, clock, stoppingToken).ConfigureAwait(false);
                    continue;
                }

                SlicerLog.Claimed(logger, slicer, claimed.Job.Id, claimed.Job.Kind, claimed.Job.Attempts);
                presence.Working(slicer, claimed.Job.Id);
                try
                {
                    await RunJobAsync(slicer, claimed, stoppingToken).ConfigureAwait(false);
                }
                finally
                {
                    presence.Working(slicer, null);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The store is unreachable or similar: back off, then try again. No job is lost: a claimed
                // job whose outcome could not be written comes back when its lease expires.
                SlicerLog.LoopFailed(logger, slicer, ex);
                await signals.WaitForWorkAsync(options.Value.IdlePoll, clock, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Work stealing for a split create job (docs/parts.md): this slicer claims one waiting part of
    /// <paramref name="parent"/> and encodes it now. <paramref name="parentToken"/> stops it as a shutdown would
    /// (the part is handed back) when the parent's attempt ends.
    /// </summary>
    private async Task<bool> RunPartAsync(string slicer, string parent, CancellationToken parentToken)
    {
        var claimed = await queue.TryClaimPartAsync(slicer, parent, parentToken).ConfigureAwait(false);
        if (claimed is null)
        {
            return false;
        }

        SlicerLog.Claimed(logger, slicer, claimed.Job.Id, claimed.Job.Kind, claimed.Job.Attempts);
        await RunJobAsync(slicer, claimed, parentToken).ConfigureAwait(false);
        return true;
    }

    private async Task RunJobAsync(string slicer, ClaimedJob claimed, CancellationToken stoppingToken)
    {
        var (job, lease) = (claimed.Job, claimed.Lease);
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["JobId"] = job.Id });
        using var jobCts = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var progress = new JobProgressTracker();
        using var work = WorkDirectory.Create(_workRoot, job.Id, job.Attempts);
        var keeper = new LeaseKeeper(queue, signals, lease, progress, jobCts, options.Value.HeartbeatInterval, clock, logger);
        await using (keeper.ConfigureAwait(false))
        {
            try
            {
                if (!_handlers.TryGetValue(job.Kind, out var handler))
                {
                    throw new JobFailedException($"This slicer cannot do '{job.Kind}' jobs");
                }

                var context = new JobContext(work, progress, keeper.BeatAsync, (args, ct) => queue.RecordArgsAsync(lease, args, ct),
                    lease, (parent, ct) => RunPartAsync(slicer, parent, ct));
                var output = await handler.HandleAsync(job, context, jobCts.Token).ConfigureAwait(false);
                if (await queue.CompleteAsync(lease, output, CancellationToken.None).ConfigureAwait(false))
                {
                    SlicerLog.Done(logger, job.Id, output.Asset);
                }
                else
                {
                    // Cancelled or taken over between the last heartbeat and now: the output is not ours to publish.
                    await handler.DiscardAsync(output, CancellationToken.None).ConfigureAwait(false);
                    SlicerLog.LeaseLost(logger, job.Id);
                }
            }
            catch (OperationCanceledException) when (keeper.CancelRequested)
            {
                SlicerLog.Cancelled(logger, job.Id);   // the job is already 'cancelled' in the store
            }
            catch (OperationCanceledException) when (keeper.Lost)
            {
                SlicerLog.LeaseLost(logger, job.Id);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                // Shutting down: hand the job back now rather than letting the lease run out.
                await queue.ReleaseAsync(lease, CancellationToken.None).ConfigureAwait(false);
                SlicerLog.Released(logger, job.Id);
            }
            catch (Exception ex)
            {
                var expected = ex is JobFailedException or Media.MediaException or Sources.SourceException;
                if (!expected)
                {
                    SlicerLog.Unexpected(logger, job.Id, ex);
                }

                // The log keeps the paths the operator needs; the owner's last_error does not.
                var message = expected ? ex.Message : $"Unexpected slicer error: {ex.Message}";
                var error = ServerPaths.Redact(message, work.Path, _workRoot, Path.GetFullPath(options.Value.WorkDirectory));
                if (IsPermanent(ex))
                {
                    SlicerLog.FailedPermanently(logger, job.Id, job.Attempts, message);
                    await queue.FailPermanentlyAsync(lease, error, CancellationToken.None).ConfigureAwait(false);
                }
                else
                {
                    SlicerLog.AttemptFailed(logger, job.Id, job.Attempts, message);
                    await queue.FailAsync(lease, error, CancellationToken.None).ConfigureAwait(false);
                }
            }
        }
    }

    /// <summary>
    /// Whether another attempt is pointless: a refused address, a 4xx, a source over the size cap, a
    /// container outside the allow-list, a setting that cannot be used. Anything else may mend itself
    /// (a 5xx, a reset, a timeout, a truncated download) and keeps its retries and back-off.
    /// </summary>
    private static bool IsPermanent(Exception ex) =>
        ex is Sources.SourceException { Permanent: true } or Media.MediaException { Permanent: true } or JobFailedException { Permanent: true };
}
