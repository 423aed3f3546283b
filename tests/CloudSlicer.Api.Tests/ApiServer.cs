using CloudSlicer.Hosting;
using CloudSlicer.Storage.Owners;
using CloudSlicer.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace CloudSlicer.Api.Tests;

/// <summary>
/// The serve app on a loopback port with no slicers (jobs stay where the test puts them), over a
/// temporary data directory. Real Kestrel, real SQLite, real HTTP.
/// </summary>
public sealed class ApiServer : IAsyncDisposable
{
    private ApiServer(WebApplication app, string data, HttpClient http)
    {
        App = app;
        DataDirectory = data;
        Http = http;
    }

    public WebApplication App { get; }

    public string DataDirectory { get; }

    public HttpClient Http { get; }

    public T Service<T>()
        where T : notnull => App.Services.GetRequiredService<T>();

    public static async Task<ApiServer> StartAsync(string? dataDirectory = null, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var data = dataDirectory ?? Path.Combine(Path.GetTempPath(), $"cloudslicer-api-{Guid.NewGuid():N}");
        var configuration = new Dictionary<string, string?>
        {
            ["Urls"] = "http://127.0.0.1:0",
            ["Data"] = data,
            ["Slicer:Count"] = "0",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }

        var app = ServeApp.Build(configuration);
        await app.StartAsync();
        return new ApiServer(app, data, new HttpClient { BaseAddress = new Uri(app.Urls.First()) });
    }

    public async Task<Api2Client> NewOwnerClientAsync()
    {
        var owner = await Service<IOwnerStore>().AddOwnerAsync("test", default);
        return new Api2Client(Http, owner.Owner, owner.Secret);
    }

    /// <summary>Stops the server but keeps its data directory (for restart tests).</summary>
    public async Task StopAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        Http.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Directory.Delete(DataDirectory, recursive: true);
    }
}
