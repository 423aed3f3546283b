using System.Data.Common;
using System.Text.Json;
using CloudSlicer.Core.Jobs;

namespace CloudSlicer.Storage.Slicers;

/// <summary>How a row of the <c>slicers</c> table maps to a record, the same for every database; kinds are a JSON array of wire names.</summary>
internal static class SlicerRows
{
    public static string KindsJson(IEnumerable<JobKind> kinds) => JsonSerializer.Serialize(kinds.Select(k => k.ToWire()).Distinct());

    public static SlicerRecord Read(DbDataReader row)
    {
        var jobOrdinal = row.GetOrdinal("job");
        return new SlicerRecord(
            Id: row.GetString(row.GetOrdinal("id")),
            Host: row.GetString(row.GetOrdinal("host")),
            Pid: row.GetInt32(row.GetOrdinal("pid")),
            Kinds: KnownKinds(row.GetString(row.GetOrdinal("kinds"))),
            BeatInterval: TimeSpan.FromMilliseconds(row.GetInt64(row.GetOrdinal("beat_ms"))),
            Started: row.GetInt64(row.GetOrdinal("started")),
            LastSeen: row.GetInt64(row.GetOrdinal("last_seen")),
            Job: row.IsDBNull(jobOrdinal) ? null : row.GetString(jobOrdinal));
    }

    // A slicer of a newer build may name kinds this one does not know; those cannot be waiting here anyway.
    private static JobKind[] KnownKinds(string json)
    {
        var wire = JsonSerializer.Deserialize<string[]>(json) ?? [];
        return [.. Enum.GetValues<JobKind>().Where(k => wire.Contains(k.ToWire()))];
    }
}
