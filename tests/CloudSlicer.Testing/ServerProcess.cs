namespace CloudSlicer.Testing;

/// <summary>
/// The real <c>cloudslicer serve</c> (this build's cloudslicer.dll) for end-to-end tests, with short leases,
/// quick retries, a small ladder and a fast preset, so failure and crash tests finish quickly; the
/// mechanisms are the production ones. Any test project that references src/CloudSlicer has cloudslicer.dll
/// beside it.
/// </summary>
public static class ServerProcess
{
    private static readonly Dictionary<string, string?> TestDefaults = new()
    {
        ["CLOUDSLICER_Queue__LeaseDuration"] = "00:00:06",
        ["CLOUDSLICER_Queue__MaxAttempts"] = "2",
        ["CLOUDSLICER_Queue__RetryDelay"] = "00:00:00.200",
        ["CLOUDSLICER_Slicer__IdlePoll"] = "00:00:00.200",
        ["CLOUDSLICER_Slicer__HeartbeatInterval"] = "00:00:01",
        ["CLOUDSLICER_Slicer__Ladder__0__Height"] = "144",
        ["CLOUDSLICER_Slicer__Ladder__0__VideoKbps"] = "200",
        ["CLOUDSLICER_Slicer__Ladder__1__Height"] = "240",
        ["CLOUDSLICER_Slicer__Ladder__1__VideoKbps"] = "400",
        ["CLOUDSLICER_Media__X264Preset"] = "ultrafast",
        ["Logging__LogLevel__Default"] = "Warning",
    };

    public static Task<CloudSlicerProcess> StartAsync(string dataDirectory, IReadOnlyDictionary<string, string>? environment = null, params string[] extraArgs) =>
        StartAsync(dataDirectory, environment, allowPrivateSources: true, extraArgs);

    /// <param name="allowPrivateSources">
    /// True for tests that slice from a loopback file server; false to run with the SSRF guard as a public
    /// service does (the security suite).
    /// </param>
    public static Task<CloudSlicerProcess> StartAsync(
        string dataDirectory, IReadOnlyDictionary<string, string>? environment, bool allowPrivateSources, params string[] extraArgs)
    {
        var env = new Dictionary<string, string?>(TestDefaults);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            env[key] = value;
        }

        return CloudSlicerProcess.StartAsync(
            ["dotnet", Path.Combine(AppContext.BaseDirectory, "cloudslicer.dll")],
            dataDirectory,
            env,
            clearCloudSlicerVariables: true,
            extraArgs: allowPrivateSources ? ["--allow-private-sources", .. extraArgs] : extraArgs);
    }
}
