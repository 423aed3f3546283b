using CloudSlicer.Core.Jobs;

namespace CloudSlicer.Storage.Jobs;

/// <summary>A job as the API creates it. <paramref name="SecretsJson"/> is stored but never echoed.</summary>
public sealed record NewJob(string Owner, JobKind Kind, string ArgsJson, string SourceJson, string? SecretsJson = null, string? Asset = null);
