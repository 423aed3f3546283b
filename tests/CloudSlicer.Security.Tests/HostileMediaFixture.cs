using CloudSlicer.Testing;

namespace CloudSlicer.Security.Tests;

/// <summary>
/// A real server (private sources allowed, so the loopback file server can be fetched: what is probed here
/// is the media, not the address guard), files that pose as media, and a canary listener every one of them
/// points at. ffprobe and ffmpeg must refuse each file by its format before opening anything it names.
/// </summary>
public sealed class HostileMediaFixture : IAsyncLifetime
{
    private readonly string _root = Directory.CreateTempSubdirectory("cloudslicer-hostile-media-").FullName;
    private readonly HttpClient _http = new();

    public CanaryListener Canary { get; } = CanaryListener.Start();

    public CloudSlicerProcess Server { get; private set; } = null!;

    public LoopbackFileServer Files { get; private set; } = null!;

    public Api2Client Client { get; private set; } = null!;

    public string DataDirectory => Path.Combine(_root, "data");

    public async Task InitializeAsync()
    {
        var files = Directory.CreateDirectory(Path.Combine(_root, "files")).FullName;
        var canary = $"http://127.0.0.1:{Canary.Port}";
        var pose = new Dictionary<string, string>
        {
            // An HLS media playlist: segments on the slicer's own disk and on an internal address.
            ["playlist.mp4"] = $"#EXTM3U\n#EXT-X-TARGETDURATION:4\n#EXTINF:4,\nfile:///etc/passwd\n#EXTINF:4,\n{canary}/seg.ts\n#EXT-X-ENDLIST\n",
            // An HLS master playlist whose variant is on an internal address.
            ["master.mp4"] = $"#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1000000\n{canary}/variant.m3u8\n",
            // An ffconcat list: the concat demuxer opens every file it names.
            ["concat.mp4"] = $"ffconcat version 1.0\nfile 'file:/etc/passwd'\nfile '{canary}/seg.ts'\n",
            // A DASH manifest whose media is on an internal address.
            ["manifest.mp4"] = $"""
                <?xml version="1.0"?>
                <MPD xmlns="urn:mpeg:dash:schema:mpd:2011" type="static" mediaPresentationDuration="PT9S" minBufferTime="PT2S" profiles="urn:mpeg:dash:profile:isoff-on-demand:2011">
                  <Period><AdaptationSet mimeType="video/mp4"><Representation id="1" bandwidth="1000"><BaseURL>{canary}/seg.mp4</BaseURL></Representation></AdaptationSet></Period>
                </MPD>
                """,
            ["notes.mp4"] = "Meeting notes: slice the keynote by Friday.\n",
            ["empty.mp4"] = "",
        };
        foreach (var (name, text) in pose)
        {
            await File.WriteAllTextAsync(Path.Combine(files, name), text);
        }

        Files = await LoopbackFileServer.StartAsync(files);
        Server = await ServerProcess.StartAsync(DataDirectory, null, allowPrivateSources: true);
        _http.BaseAddress = new Uri(Server.Url);
        Client = new Api2Client(_http, Server.Owner!, Server.Secret!);
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        await Files.DisposeAsync();
        await Canary.DisposeAsync();
        _http.Dispose();
        Directory.Delete(_root, recursive: true);
    }
}
