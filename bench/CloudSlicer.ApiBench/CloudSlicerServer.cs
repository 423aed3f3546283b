using CloudSlicer.Testing;

namespace CloudSlicer.ApiBench;

/// <summary>
/// <c>dist/cloudslicer serve --slicers 0</c> on a loopback port over a fresh data directory: the API alone, as an
/// operator runs it in front of separate slicers (started by the shared <see cref="CloudSlicerProcess"/> launcher).
/// </summary>
public static class CloudSlicerServer
{
    /// <summary>The command line, for the report.</summary>
    public static string CommandLine(string executable) =>
        $"{executable} serve --urls http://127.0.0.1:0 --data <fresh temp dir> --slicers 0";

    public static async Task<CloudSlicerProcess> StartAsync(string executable, string dataDirectory, CancellationToken cancellationToken)
    {
        // Defaults only: a CLOUDSLICER_* variable in the caller's shell must not change what is measured.
        var server = await CloudSlicerProcess.StartAsync(
            [executable], dataDirectory, clearCloudSlicerVariables: true, extraArgs: ["--slicers", "0"], cancellationToken: cancellationToken);
        if (server.Owner is null || server.Secret is null)
        {
            await server.DisposeAsync();
            throw new InvalidOperationException("cloudslicer did not print a first owner; is the data directory fresh?");
        }

        return server;
    }

    /// <summary>The server process's own CPU time (not its children's).</summary>
    public static TimeSpan Cpu(this CloudSlicerProcess server) => CloudSlicer.Bench.CpuTimes.Of(server.Pid).Own;
}
