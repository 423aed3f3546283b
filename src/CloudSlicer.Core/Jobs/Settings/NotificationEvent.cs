namespace CloudSlicer.Core.Jobs.Settings;

/// <summary>What a Slicebot notification reports; each is sent at most once per job.</summary>
public enum NotificationEvent
{
    /// <summary>A slicer claimed the job for its first attempt (<c>start_url</c>).</summary>
    Start,

    /// <summary>The job reached done (<c>done_url</c>).</summary>
    Done,

    /// <summary>The job reached error, its attempts spent or its failure permanent (<c>fail_url</c>).</summary>
    Fail,
}

public static class NotificationEvents
{
    public static string ToWire(this NotificationEvent notification) => notification switch
    {
        NotificationEvent.Start => "start",
        NotificationEvent.Done => "done",
        NotificationEvent.Fail => "fail",
        _ => throw new ArgumentOutOfRangeException(nameof(notification)),
    };

    public static NotificationEvent ParseWire(string wire) => wire switch
    {
        "start" => NotificationEvent.Start,
        "done" => NotificationEvent.Done,
        "fail" => NotificationEvent.Fail,
        _ => throw new ArgumentOutOfRangeException(nameof(wire), wire, "unknown notification event"),
    };
}
