namespace CloudSlicer.Core.Jobs.Specs;

/// <summary>
/// <c>/jobs/create</c>: the source URL exactly as sent (its echo in <c>source.url</c> is redacted). The settings are
/// the job's normalised <c>args</c> (<see cref="SlicerArgs"/>), which the slicer merges with a <c>.cfg</c> sidecar.
/// </summary>
/// <param name="Credentials">
/// An <c>s3://</c> source's <c>api_key</c> and <c>api_secret</c>, sealed (AES-GCM) by the secret box with the key
/// from configuration; null for http(s) sources. The queue erases the whole spec when the job ends.
/// </param>
public sealed record CreateSpec(string Url, string? Credentials = null);
