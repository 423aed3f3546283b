namespace CloudSlicer.Core.Jobs.Specs;

/// <summary>
/// <c>/jobs/create</c>: the source URL exactly as sent (its echo in <c>source.url</c> is redacted). The settings are
/// the job's normalised <c>args</c> (<see cref="SlicerArgs"/>), which the slicer merges with a <c>.cfg</c> sidecar.
/// </summary>
public sealed record CreateSpec(string Url);
