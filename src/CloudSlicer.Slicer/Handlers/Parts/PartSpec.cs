using System.Text.Json;
using CloudSlicer.Core.Assets;
using CloudSlicer.Core.Jobs.Settings;

namespace CloudSlicer.Slicer.Handlers.Parts;

/// <summary>
/// What a part job encodes, stored in its never-echoed spec column: its window of the source, on the slice grid,
/// with the ladder and settings of the whole encode, and where the shared copy of the source and the asset are.
/// </summary>
/// <param name="Parent">The create job the part belongs to.</param>
/// <param name="Asset">The asset the parent's attempt makes (a new id per attempt); slices go straight into its first version.</param>
/// <param name="Index">The part's number, from 0.</param>
/// <param name="FirstSlice">The asset's slice the part starts with.</param>
/// <param name="EndSlice">The slice the next part starts with; null for the last part.</param>
/// <param name="SourceStartSeconds">Where the part starts in the source (the trim window's start included).</param>
/// <param name="DurationSeconds">How much of the source the part encodes.</param>
public sealed record PartSpec(
    string Parent,
    string Asset,
    int Index,
    int FirstSlice,
    int? EndSlice,
    double SourceStartSeconds,
    double DurationSeconds,
    IReadOnlyList<Ray> Rays,
    string Preset,
    AspectRatio? DisplayAspect)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static PartSpec Read(string? json) =>
        JsonSerializer.Deserialize<PartSpec>(json ?? throw new JobFailedException("The part has no spec"), Json)
        ?? throw new JobFailedException("The part has no spec");
}
