using CloudSlicer.Slicer;
using CloudSlicer.Storage.Slicers;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CloudSlicer.Hosting;

/// <summary>
/// Whether this slicer process is ready, as an orchestrator asks it: the job store answers and lists every one of
/// this process's slicers as alive (so they are registered and claiming). Not ready from the moment it starts to
/// stop, while it hands its jobs back.
/// </summary>
public sealed class SlicerReadiness(ISlicerRegistry registry, IOptions<SlicerOptions> options, IHostApplicationLifetime lifetime, TimeProvider clock)
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(200);

    /// <summary>The ids this process's slicers claim jobs under.</summary>
    public IReadOnlyList<string> SlicerIds { get; } = SlicerService.IdsFor(options.Value.Count);

    public async Task<bool> IsReadyAsync(CancellationToken cancellationToken)
    {
        if (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            return false;
        }

        try
        {
            var alive = (await registry.ListAliveAsync(cancellationToken).ConfigureAwait(false)).Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
            return SlicerIds.All(alive.Contains) && !lifetime.ApplicationStopping.IsCancellationRequested;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return false;   // the store does not answer: not ready, which is what the orchestrator needs to know
        }
    }

    /// <summary>Returns once ready; throws <see cref="OperationCanceledException"/> if the process stops first.</summary>
    public async Task WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        while (!await IsReadyAsync(cancellationToken).ConfigureAwait(false))
        {
            cancellationToken.ThrowIfCancellationRequested();
            await Task.Delay(Poll, clock, cancellationToken).ConfigureAwait(false);
        }
    }
}
