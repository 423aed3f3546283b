using System.Text.Json;

namespace CloudSlicer.Core.Jobs.Specs;

/// <summary>
/// Each job kind's typed spec: what its endpoint parsed and checked, everything the slicer needs to do the job,
/// stored with the job as JSON in its never-echoed column (<see cref="Job.SecretsJson"/>: a spec may hold a source
/// URL with credentials or a whole caption file). The echoed <c>args</c>/<c>source</c> are written beside it for
/// the protocol's job dictionary. A handler reads its spec back with <see cref="Read{T}"/>; it never re-validates.
/// </summary>
public static class JobSpecs
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static string Write<T>(T spec)
        where T : class => JsonSerializer.Serialize(spec, Json);

    /// <summary>The spec stored with <paramref name="job"/>; a job without one (or of another shape) is a bug, not bad input.</summary>
    public static T Read<T>(Job job)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(job);
        return (job.SecretsJson is { } json ? JsonSerializer.Deserialize<T>(json, Json) : null)
            ?? throw new InvalidOperationException($"Job {job.Id} ({job.Kind.ToWire()}) has no {typeof(T).Name}");
    }
}
