using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using CloudSlicer.Api.Content;
using CloudSlicer.Core.Assets;
using CloudSlicer.Storage;
using CloudSlicer.Storage.Assets;
using CloudSlicer.Storage.Blobs;
using CloudSlicer.Storage.Blobs.S3;
using CloudSlicer.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CloudSlicer.Api.Tests.Http;

/// <summary>
/// Content served from S3: a slice stored in a bucket (moto) is streamed by the content endpoints with HTTP ranges,
/// and with <c>Content:PresignedRedirectSeconds</c> a slice GET answers 302 to a presigned URL that downloads the
/// same bytes from the store, while playlists stay served here. Real Kestrel on loopback, real SQLite, real moto;
/// the app is the content routes over <c>AddS3BlobStore</c> (wiring <c>--blobs s3://</c> into <c>serve</c> is the host's).
/// </summary>
public sealed class S3ContentTests : IAsyncLifetime
{
    private const string Asset = "abcdef0123456789abcdef0123456789";
    private static readonly byte[] SliceBytes = Enumerable.Range(0, 5000).Select(i => (byte)(i % 253)).ToArray();

    private readonly string _data = Path.Combine(Path.GetTempPath(), $"cloudslicer-s3content-{Guid.NewGuid():N}");
    private readonly List<WebApplication> _apps = [];
    private S3Server _server = null!;
    private string _bucket = null!;

    public async Task InitializeAsync()
    {
        _server = await S3Server.SharedAsync();
        _bucket = await _server.CreateBucketAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (var app in _apps)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }

        if (Directory.Exists(_data))
        {
            Directory.Delete(_data, recursive: true);
        }
    }

    [Fact]
    public async Task A_ranged_get_of_a_slice_stored_in_s3_is_206_with_exactly_its_bytes()
    {
        using var http = await StartAsync(redirectSeconds: 0);

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/{Asset}/a/seg_00001.m4s");
        request.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(1000, 2999);
        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal(SliceBytes[1000..3000], await response.Content.ReadAsByteArrayAsync());
        var range = response.Content.Headers.ContentRange!;
        Assert.Equal((1000L, 2999L, 5000L), (range.From, range.To, range.Length));
        Assert.False(response.Headers.ETag!.IsWeak);
        using var whole = await http.GetAsync($"/{Asset}/a/seg_00001.m4s");
        Assert.Equal(SliceBytes, await whole.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task With_presigned_redirects_a_slice_get_is_302_to_a_url_that_downloads_its_bytes_and_playlists_stay_here()
    {
        using var http = await StartAsync(redirectSeconds: 600);

        using var slice = await http.GetAsync($"/{Asset}/a/seg_00001.m4s");
        Assert.Equal(HttpStatusCode.Redirect, slice.StatusCode);
        var target = slice.Headers.Location!;
        Assert.Equal(_server.Endpoint.Authority, target.Authority);
        Assert.Equal((true, TimeSpan.FromSeconds(300)), (slice.Headers.CacheControl!.Public, slice.Headers.CacheControl.MaxAge));   // half the URL's life
        Assert.Equal(["*"], slice.Headers.GetValues("Access-Control-Allow-Origin"));
        using (var direct = new HttpClient())
        {
            Assert.Equal(SliceBytes, await direct.GetByteArrayAsync(target));
        }

        foreach (var playlist in new[] { $"/{Asset}.m3u8", $"/{Asset}/a/index.m3u8" })
        {
            using var answer = await http.GetAsync(playlist);
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            Assert.Equal("#EXTM3U\n", await answer.Content.ReadAsStringAsync());
        }

        using var head = await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/{Asset}/a/seg_00001.m4s"));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(5000, head.Content.Headers.ContentLength);
        using var missing = await http.GetAsync($"/{new string('f', 32)}/a/seg_00001.m4s");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);   // no record, no redirect
    }

    [Fact]
    public async Task With_presigned_redirects_on_local_disk_a_slice_is_still_served_here()
    {
        await using var server = await ApiServer.StartAsync(settings: new Dictionary<string, string?> { ["Content:PresignedRedirectSeconds"] = "600" });
        await server.Service<IBlobStore>().PutAsync(AssetLayout.File(Asset, 1, "a/seg_00001.m4s"), SliceBytes, default);
        await server.Service<IAssetStore>().PublishAsync(new AssetManifest { Id = Asset, Owner = new string('a', 32) }, replaceExternalId: false, default);

        using var response = await server.Http.GetAsync($"/{Asset}/a/seg_00001.m4s");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(SliceBytes, await response.Content.ReadAsByteArrayAsync());
    }

    /// <summary>The content routes over S3 with the asset stored and published; a client that does not follow redirects.</summary>
    private async Task<HttpClient> StartAsync(int redirectSeconds)
    {
        var location = S3Location.Parse(_server.BlobsUri(_bucket, $"p{Guid.NewGuid():N}"));
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSqliteStorage(Path.Combine(_data, $"{Guid.NewGuid():N}.db"));
        builder.Services.AddS3BlobStore(location);
        // The AWS chain of a deployment, standing in: this test process has no AWS_* variables of its own.
        builder.Services.AddKeyedSingleton<IAmazonS3>(S3ServiceCollectionExtensions.ClientKey, (_, _) =>
            S3Clients.Create(location, new BasicAWSCredentials(S3Server.AccessKey, S3Server.SecretKey)));
        builder.Services.Configure<ContentOptions>(options => options.PresignedRedirectSeconds = redirectSeconds);
        builder.Services.AddCors(cors => cors.AddPolicy(ContentApi.CorsPolicy, policy => policy.AllowAnyOrigin().WithMethods(HttpMethods.Get, HttpMethods.Head)));
        var app = builder.Build();
        app.UseCors();
        app.MapContent();
        _apps.Add(app);
        await app.StartAsync();

        var blobs = app.Services.GetRequiredService<IBlobStore>();
        Assert.IsType<S3BlobStore>(blobs);
        await blobs.PutAsync(AssetLayout.File(Asset, 1, "a/seg_00001.m4s"), SliceBytes, default);
        await blobs.PutAsync(AssetLayout.File(Asset, 1, "a/index.m3u8"), "#EXTM3U\n"u8.ToArray(), default);
        await blobs.PutAsync(AssetLayout.Master(Asset, 1), "#EXTM3U\n"u8.ToArray(), default);
        await app.Services.GetRequiredService<IAssetStore>().PublishAsync(new AssetManifest { Id = Asset, Owner = new string('a', 32) }, replaceExternalId: false, default);
        return new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(app.Urls.First()) };
    }
}
