using CloudSlicer.Testing;

namespace CloudSlicer.EndToEnd.Tests;

/// <summary>
/// A real <c>cloudslicer serve</c> kept for a whole test class: its own data directory, an HTTP client on
/// it, and an api2 client signed as its first owner. Disposing stops it and removes the data.
/// </summary>
internal sealed class RunningServer : IAsyncDisposable
{
    private readonly TempDirectory _data;

    private RunningServer(TempDirectory data, CloudSlicerProcess server)
    {
        _data = data;
        Server = server;
        Http = new HttpClient { BaseAddress = new Uri(server.Url) };
        Client = new Api2Client(Http, server.Owner!, server.Secret!);
    }

    public string DataPath => _data.Path;

    public CloudSlicerProcess Server { get; }

    public HttpClient Http { get; }

    public Api2Client Client { get; }

    /// <param name="args">More <c>serve</c> flags, e.g. <c>--slicers 2</c>.</param>
    public static async Task<RunningServer> StartAsync(params string[] args)
    {
        var data = new TempDirectory();
        try
        {
            return new RunningServer(data, await ServerProcess.StartAsync(data.Path, null, args));
        }
        catch
        {
            data.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        Http.Dispose();
        _data.Dispose();
    }
}
