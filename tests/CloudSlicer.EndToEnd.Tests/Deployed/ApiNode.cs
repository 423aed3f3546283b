using System.Net;
using CloudSlicer.Testing;

namespace CloudSlicer.EndToEnd.Tests.Deployed;

/// <summary>One <c>serve --slicers 0</c> process of the deployment: an HTTP client on it and Alice (the first owner) signed to it.</summary>
public sealed class ApiNode : IAsyncDisposable
{
    private ApiNode(CloudSlicerProcess server, string owner, string secret)
    {
        Server = server;
        Http = new HttpClient { BaseAddress = new Uri(server.Url) };
        Alice = new Api2Client(Http, owner, secret);
    }

    public CloudSlicerProcess Server { get; }

    public string Url => Server.Url;

    public HttpClient Http { get; }

    public Api2Client Alice { get; }

    /// <summary>An api2 client for another owner on this node.</summary>
    public Api2Client As(string owner, string secret) => new(Http, owner, secret);

    /// <param name="first">The node that printed the first owner; null for the first node.</param>
    public static async Task<ApiNode> StartAsync(string data, IReadOnlyDictionary<string, string> env, string[] stores, ApiNode? first)
    {
        var server = await ServerProcess.StartAsync(data, env, ["--slicers", "0", .. stores]);
        if (first is null && server.Owner is null)
        {
            await server.DisposeAsync();
            throw new InvalidOperationException("the first API node on an empty database printed no first owner");
        }

        return new ApiNode(server, first?.Alice.Owner ?? server.Owner!, first?.Alice.Secret ?? server.Secret!);
    }

    /// <summary>The status of a GET of <paramref name="path"/> on this node.</summary>
    public async Task<HttpStatusCode> StatusAsync(string path)
    {
        using var response = await Http.GetAsync(path);
        return response.StatusCode;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
    }
}
