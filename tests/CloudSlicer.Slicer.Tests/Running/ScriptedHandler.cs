using CloudSlicer.Core.Jobs;
using CloudSlicer.Slicer.Handlers;
using CloudSlicer.Storage.Jobs;

namespace CloudSlicer.Slicer.Tests.Running;

/// <summary>
/// A create-job handler whose work the test scripts: it reports that it started, then waits for the test to
/// let it finish (with an output or an exception), honouring the job's token unless told to ignore it.
/// </summary>
internal sealed class ScriptedHandler : IJobHandler
{
    private readonly TaskCompletionSource<Job> _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<Func<JobOutput>> _finish = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<bool> _tokenFired = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public JobKind Kind => JobKind.Create;

    /// <summary>Keep working after the job's token fires (a step that does not check it, such as a final upload).</summary>
    public bool IgnoreCancellation { get; init; }

    public List<JobOutput> Discarded { get; } = [];

    public Task<Job> Started => _started.Task;

    /// <summary>Completes when the job's token fired while the handler ran.</summary>
    public Task TokenFired => _tokenFired.Task;

    public void Finish(JobOutput output) => _finish.TrySetResult(() => output);

    public void Fail(Exception exception) => _finish.TrySetResult(() => throw exception);

    public async Task<JobOutput> HandleAsync(Job job, JobContext context, CancellationToken cancellationToken)
    {
        using var registration = cancellationToken.Register(() => _tokenFired.TrySetResult(true));
        _started.TrySetResult(job);
        try
        {
            var finish = IgnoreCancellation ? await _finish.Task : await _finish.Task.WaitAsync(cancellationToken);
            return finish();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The wait's own cancellation may end this method (and dispose the registration above) before
            // the registration's turn comes: record it here too.
            _tokenFired.TrySetResult(true);
            throw;
        }
    }

    public Task DiscardAsync(JobOutput output, CancellationToken cancellationToken)
    {
        lock (Discarded)
        {
            Discarded.Add(output);
        }

        return Task.CompletedTask;
    }
}
