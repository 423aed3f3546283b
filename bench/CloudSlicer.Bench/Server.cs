using CloudSlicer.Testing;

namespace CloudSlicer.Bench;

/// <summary>
/// <c>dist/cloudslicer serve</c> as a user runs it: default slicer count, preset and ladder, on a loopback port,
/// over a fresh data directory (the shared <see cref="CloudSlicerProcess"/> launcher stamps every output line,
/// so the phases of a job can be read on the same clock as the timed runs).
/// </summary>
public static class Server
{
    /// <summary>The command line, for the report.</summary>
    public static string CommandLine(string executable) =>
        $"{executable} serve --urls http://127.0.0.1:0 --data <fresh temp dir> --allow-private-sources";

    public static async Task<CloudSlicerProcess> StartAsync(string executable, string dataDirectory, CancellationToken cancellationToken)
    {
        // Defaults only (CLOUDSLICER_* cleared), plus debug lines for the media tools ("Starting ffmpeg with ..."),
        // so the report can split CloudSlicer's time into download, probe, encode and poster+store.
        var server = await CloudSlicerProcess.StartAsync(
            [executable],
            dataDirectory,
            new Dictionary<string, string?> { ["Logging__LogLevel__CloudSlicer.Media"] = "Debug" },
            clearCloudSlicerVariables: true,
            extraArgs: ["--allow-private-sources"],
            cancellationToken: cancellationToken);
        if (server.Owner is null || server.Secret is null)
        {
            await server.DisposeAsync();
            throw new InvalidOperationException("cloudslicer did not print a first owner; is the data directory fresh?");
        }

        return server;
    }
}
