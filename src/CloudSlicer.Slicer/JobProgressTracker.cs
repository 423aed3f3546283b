using CloudSlicer.Core.Jobs;
using System.Globalization;
using CloudSlicer.Storage.Jobs;

namespace CloudSlicer.Slicer;

/// <summary>
/// The running job's progress, written by the pipeline as it goes and read by the lease keeper at each
/// heartbeat. Each phase owns a slice of the overall percentage; the text shows the phase's own percent.
/// </summary>
public sealed class JobProgressTracker
{
    private JobProgress _current = new(JobTexts.Starting, 0);

    public JobProgress Current => Volatile.Read(ref _current);

    public void Report(string phase, double phaseFraction, int overallFrom, int overallTo)
    {
        var fraction = Math.Clamp(phaseFraction, 0, 1);
        var percent = overallFrom + (int)((overallTo - overallFrom) * fraction);
        var text = string.Create(CultureInfo.InvariantCulture, $"{phase} {(int)(fraction * 100)}%");
        Volatile.Write(ref _current, new JobProgress(text, percent));
    }

    public void Phase(string text, int percent) => Volatile.Write(ref _current, new JobProgress(text, percent));

    /// <summary>An <see cref="IProgress{T}"/> for one phase, mapping 0..1 into its share.</summary>
    public IProgress<double> For(string phase, int overallFrom, int overallTo) =>
        new PhaseProgress(this, phase, overallFrom, overallTo);

    private sealed class PhaseProgress(JobProgressTracker tracker, string phase, int from, int to) : IProgress<double>
    {
        public void Report(double value) => tracker.Report(phase, value, from, to);
    }
}
