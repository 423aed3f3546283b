using CloudSlicer.Testing;

namespace CloudSlicer.EndToEnd.Tests;

/// <summary>
/// One asset sliced by the real server from a real clip, with the production x264 preset: "ultrafast" (the test
/// default) makes no B-frames, and B-frames are what delayed the video's first frame behind the audio.
/// </summary>
public sealed class PlaybackFixture : IAsyncLifetime
{
    private readonly TempDirectory _data = new();
    private readonly TempDirectory _sources = new();
    private LoopbackFileServer _sourceServer = null!;
    private CloudSlicerProcess _server = null!;
    private BrowserPlayer _player = null!;

    public HttpClient Http { get; } = new();

    public string ServerUrl => _server.Url;

    public string Asset { get; private set; } = "";

    internal BrowserPlayer Player => _player;

    public async Task InitializeAsync()
    {
        System.IO.Directory.CreateDirectory(_sources.Path);
        await MediaClips.GenerateAsync(Path.Combine(_sources.Path, "clip.mp4"),
            new MediaClipSpec { Duration = TimeSpan.FromSeconds(9), Width = 480, Height = 270, FrameRate = 30, WithAudio = true });
        _sourceServer = await LoopbackFileServer.StartAsync(_sources.Path);
        _server = await ServerProcess.StartAsync(_data.Path, new Dictionary<string, string> { ["CLOUDSLICER_Media__X264Preset"] = "veryfast" });
        Http.BaseAddress = new Uri(_server.Url);
        var client = new Api2Client(Http, _server.Owner!, _server.Secret!);
        var (job, _) = await client.WaitFinishedAsync(await client.CreateAsync(_sourceServer.UrlOf("clip.mp4")), TimeSpan.FromMinutes(2));
        Assert.True(job["state"]!.GetValue<string>() == "done", job.ToJsonString());
        Asset = job["asset"]!.GetValue<string>();
        _player = await BrowserPlayer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_player is not null)
        {
            await _player.DisposeAsync();
        }

        await _server.DisposeAsync();
        await _sourceServer.DisposeAsync();
        Http.Dispose();
        _data.Dispose();
        _sources.Dispose();
    }
}
