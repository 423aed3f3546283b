namespace CloudSlicer.Core.Jobs;

/// <summary>What a job asks a slicer to do; each kind has its own handler.</summary>
public enum JobKind
{
    /// <summary><c>/jobs/create</c>: download a media URL and slice it into a new asset.</summary>
    Create,
}

public static class JobKinds
{
    public static string ToWire(this JobKind kind) => kind switch
    {
        JobKind.Create => "create",
    };

    public static JobKind ParseWire(string kind) => kind switch
    {
        "create" => JobKind.Create,
        _ => throw new FormatException($"'{kind}' is not a job kind"),
    };
}
