using System.Runtime.CompilerServices;
using CloudSlicer.Core;
using CloudSlicer.Storage.Jobs;

namespace CloudSlicer.Storage.Postgres;

/// <summary>
/// The LISTEN/NOTIFY channels that carry <see cref="JobSignals"/> between processes sharing one database. A payload
/// starts with the origin of the signals its sender raised locally already, so a listener feeding the same signals
/// skips its own echo: <c>{origin}</c> on <see cref="Work"/>, <c>{origin} {job id}</c> on <see cref="Cancel"/>.
/// </summary>
internal static class PostgresJobChannels
{
    /// <summary>A job became waiting (created, failed an attempt, lost its lease, handed back).</summary>
    public const string Work = "cloudslicer_work";

    /// <summary>An assigned job was cancelled; the payload names it.</summary>
    public const string Cancel = "cloudslicer_cancel";

    private static readonly ConditionalWeakTable<JobSignals, string> Origins = [];

    /// <summary>A tag unique to one <see cref="JobSignals"/> (in practice, to one process).</summary>
    public static string OriginOf(JobSignals signals) => Origins.GetValue(signals, _ => Ids.New());

    public static string CancelPayload(string origin, string jobId) => $"{origin} {jobId}";

    /// <summary>The job id of a cancel payload, or null when it is malformed.</summary>
    public static (string Origin, string JobId)? ParseCancel(string payload)
    {
        var space = payload.IndexOf(' ', StringComparison.Ordinal);
        return space > 0 && space < payload.Length - 1 ? (payload[..space], payload[(space + 1)..]) : null;
    }
}
