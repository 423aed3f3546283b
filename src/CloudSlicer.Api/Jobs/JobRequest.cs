using System.Text.Json.Nodes;
using CloudSlicer.Core.Jobs;
using CloudSlicer.Core.Jobs.Specs;

namespace CloudSlicer.Api.Jobs;

/// <summary>
/// What a job endpoint parsed from its call: the job's kind, its typed spec (stored, never echoed), the
/// <c>args</c> and <c>source</c> the job dictionary echoes, and the asset it works on (null when it makes one).
/// </summary>
public sealed record JobRequest<TSpec>(JobKind Kind, TSpec Spec, JsonObject Args, JsonObject Source, string? Asset)
    where TSpec : class
{
    public string SpecJson => JobSpecs.Write(Spec);
}
