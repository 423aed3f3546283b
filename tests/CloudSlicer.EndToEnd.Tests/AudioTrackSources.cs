using System.Net;
using System.Net.Sockets;
using System.Text;
using CloudSlicer.Testing;

namespace CloudSlicer.EndToEnd.Tests;

/// <summary>
/// What the alternate audio tests fetch, from a loopback server: a clip to make the asset from, tracks shorter
/// and longer than it at another sample rate, a 5.1 track, a file with no audio; and <see cref="HeldUrl"/>,
/// whose body never finishes until the fixture is disposed (a download that is still running when cancelled).
/// </summary>
public sealed class AudioTrackSources : IAsyncLifetime
{
    private readonly TempDirectory _directory = new();
    private readonly TcpListener _held = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private Task _holding = Task.CompletedTask;

    public LoopbackFileServer Server { get; private set; } = null!;

    public string Url(string name) => Server.UrlOf(name);

    /// <summary>Answers 200 with a Content-Length, sends a little, then holds the connection open.</summary>
    public string HeldUrl => $"http://127.0.0.1:{((IPEndPoint)_held.LocalEndpoint).Port}/held.m4a";

    public async Task InitializeAsync()
    {
        var dir = _directory.Path;
        Directory.CreateDirectory(dir);
        await Task.WhenAll(
            MediaClips.GenerateAsync(Path.Combine(dir, "clip.mp4"), new MediaClipSpec { Duration = TimeSpan.FromSeconds(10), Width = 480, Height = 270, FrameRate = 30 }),
            // Shorter than the asset (padded) and at 44.1 kHz (resampled).
            MediaClips.GenerateAsync(Path.Combine(dir, "spanish.m4a"), new MediaClipSpec { Duration = TimeSpan.FromSeconds(6), WithVideo = false, Container = "m4a", AudioSampleRate = 44_100 }),
            // Longer than the asset (cut).
            MediaClips.GenerateAsync(Path.Combine(dir, "french.m4a"), new MediaClipSpec { Duration = TimeSpan.FromSeconds(15), WithVideo = false, Container = "m4a" }),
            MediaClips.GenerateAsync(Path.Combine(dir, "silent.mp4"), new MediaClipSpec { Duration = TimeSpan.FromSeconds(2), WithAudio = false }),
            MediaClips.RunAsync("ffmpeg",
                ["-hide_banner", "-nostdin", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "sine=frequency=300:sample_rate=48000:duration=10",
                 "-af", "pan=5.1|FL=c0|FR=c0|FC=c0|LFE=c0|BL=c0|BR=c0", "-c:a", "aac", Path.Combine(dir, "surround.m4a")],
                CancellationToken.None));
        Server = await LoopbackFileServer.StartAsync(dir);
        _held.Start();
        _holding = HoldAsync(_stop.Token);
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        _held.Stop();
        await _holding;
        await Server.DisposeAsync();
        _stop.Dispose();
        _directory.Dispose();
    }

    private async Task HoldAsync(CancellationToken cancellationToken)
    {
        var open = new List<TcpClient>();
        try
        {
            while (true)
            {
                var client = await _held.AcceptTcpClientAsync(cancellationToken);
                open.Add(client);
                var stream = client.GetStream();
                var buffer = new byte[4096];
                _ = await stream.ReadAsync(buffer, cancellationToken);   // the request; what it asks does not matter
                await stream.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Type: audio/mp4\r\nContent-Length: 10000000\r\n\r\n"), cancellationToken);
                await stream.WriteAsync(new byte[1000], cancellationToken);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // disposed
        }
        finally
        {
            foreach (var client in open)
            {
                client.Dispose();
            }
        }
    }
}
