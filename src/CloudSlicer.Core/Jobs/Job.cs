namespace CloudSlicer.Core.Jobs;

/// <summary>
/// One job as stored. Times are Unix milliseconds, 0 until set, as the protocol reports them.
/// <see cref="ArgsJson"/> and <see cref="SourceJson"/> are JSON objects exactly as they are echoed back
/// (normalised args; source without secrets). <see cref="SecretsJson"/> holds what must never be echoed.
/// </summary>
public sealed record Job
{
    public required string Id { get; init; }
    public required string Owner { get; init; }
    public required JobKind Kind { get; init; }
    public required JobState State { get; init; }
    public string ArgsJson { get; init; } = "{}";
    public string SourceJson { get; init; } = "{}";
    public string? SecretsJson { get; init; }
    public int Attempts { get; init; }
    public string LastError { get; init; } = "";
    public long LastStart { get; init; }
    public long Finished { get; init; }
    public string Progress { get; init; } = "";
    public int Percent { get; init; }
    public string? Asset { get; init; }
    public long Created { get; init; }
    public string? Slicer { get; init; }
}
