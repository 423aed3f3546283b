using System.ComponentModel.DataAnnotations;

namespace CloudSlicer.Api.Api2;

/// <summary>Limits of the api2 envelope (configuration section <c>Api2</c>).</summary>
public sealed class Api2Options
{
    public const string Section = "Api2";

    /// <summary>How far a request's <c>_timestamp</c> may be from the server clock, either way (replay window).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(300);

    /// <summary>Cap on the raw <c>msg</c> text and, separately, on the JSON it inflates to.</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public int MaxMessageBytes { get; set; } = 1_048_576;
}
