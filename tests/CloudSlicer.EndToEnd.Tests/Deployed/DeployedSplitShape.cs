using Amazon.S3.Model;
using CloudSlicer.Testing;

namespace CloudSlicer.EndToEnd.Tests.Deployed;

/// <summary>
/// The scaled-out shape for split sources (docs/parts.md): a fresh database and bucket, two <c>serve --slicers 0</c>
/// API nodes and the long sources, shared by the tests of one class; each test starts its own pair of
/// <c>cloudslicer slicer</c> processes with the part length and encoder settings it needs (and may kill one). Kept
/// apart from <see cref="DeployedShape"/> so that the other Deployed tests' jobs are never split.
/// </summary>
public sealed class DeployedSplitShape : IAsyncLifetime
{
    public const double Seconds = 25;
    public const double Fps = 30;

    private readonly TempDirectory _root = new();
    private LoopbackFileServer _files = null!;
    private int _pairs;

    // 25 s in parts of two slices: three parts (the last takes the 8.6 s left).
    public static readonly IReadOnlyDictionary<string, string> Split = new Dictionary<string, string>
    {
        ["CLOUDSLICER_Slicer__PartSeconds"] = "8.192",
        ["Logging__LogLevel__CloudSlicer.Slicer.SlicerService"] = "Information",
    };

    // A slow preset and a 720p ray keep each part's ffmpeg busy long enough to be caught mid-slice.
    public static readonly IReadOnlyDictionary<string, string> SlowSplit = new Dictionary<string, string>(Split)
    {
        ["CLOUDSLICER_Media__X264Preset"] = "veryslow",
        ["CLOUDSLICER_Slicer__Ladder__2__Height"] = "720",
        ["CLOUDSLICER_Slicer__Ladder__2__VideoKbps"] = "3000",
    };

    public string Database { get; private set; } = "";

    public S3Server S3 { get; private set; } = null!;

    public string Bucket { get; private set; } = "";

    public ApiNode A { get; private set; } = null!;

    public ApiNode B { get; private set; } = null!;

    public IReadOnlyList<ApiNode> Nodes => [A, B];

    public string Root => _root.Path;

    public string Url(string name) => _files.UrlOf(name);

    private string[] Stores => ["--db", Database, "--blobs", S3.BlobsUri(Bucket, DeployedShape.Prefix)];

    public async Task InitializeAsync()
    {
        var sources = Path.Combine(_root.Path, "sources");
        Directory.CreateDirectory(sources);
        await MediaClips.GenerateAsync(Path.Combine(sources, "long.mp4"), new MediaClipSpec { Duration = TimeSpan.FromSeconds(Seconds), Width = 640, Height = 360, FrameRate = Fps });
        await MediaClips.GenerateAsync(Path.Combine(sources, "long720.mp4"), new MediaClipSpec { Duration = TimeSpan.FromSeconds(Seconds), Width = 1280, Height = 720, FrameRate = Fps });
        _files = await LoopbackFileServer.StartAsync(sources);

        Database = await (await PostgresServer.SharedAsync()).CreateDatabaseAsync();
        S3 = await S3Server.SharedAsync();
        Bucket = await S3.CreateBucketAsync();
        A = await ApiNode.StartAsync(Path.Combine(_root.Path, "api-a"), S3Server.CredentialsEnvironment, Stores, null);
        B = await ApiNode.StartAsync(Path.Combine(_root.Path, "api-b"), S3Server.CredentialsEnvironment, Stores, A);
    }

    /// <summary>Two slicer processes of one slicer each, on the shape's stores, each with a data directory of its own.</summary>
    internal async Task<SplitSlicers> StartSlicersAsync(IReadOnlyDictionary<string, string> settings)
    {
        var env = new Dictionary<string, string>(S3Server.CredentialsEnvironment);
        foreach (var (key, value) in settings)
        {
            env[key] = value;
        }

        var pair = Interlocked.Increment(ref _pairs);
        var slicers = new SplitSlicers();
        try
        {
            foreach (var name in new[] { "1", "2" })
            {
                var data = Path.Combine(_root.Path, $"slicers-{pair}-{name}");
                slicers.Add(data, await SlicerProcess.StartAsync(data, env, ["--count", "1", .. Stores]));
            }
        }
        catch
        {
            await slicers.DisposeAsync();
            throw;
        }

        return slicers;
    }

    /// <summary>The keys of the bucket under <c>{prefix}/{path}</c>.</summary>
    public async Task<IReadOnlyList<string>> ObjectsUnderAsync(string path)
    {
        using var client = S3.CreateClient();
        var keys = new List<string>();
        var request = new ListObjectsV2Request { BucketName = Bucket, Prefix = $"{DeployedShape.Prefix}/{path}" };
        ListObjectsV2Response page;
        do
        {
            page = await client.ListObjectsV2Async(request);
            keys.AddRange((page.S3Objects ?? []).Select(o => o.Key));
            request.ContinuationToken = page.NextContinuationToken;
        }
        while (page.IsTruncated == true);

        return keys;
    }

    public async Task DisposeAsync()
    {
        if (B is not null)
        {
            await B.DisposeAsync();
        }

        if (A is not null)
        {
            await A.DisposeAsync();
        }

        if (_files is not null)
        {
            await _files.DisposeAsync();
        }

        _root.Dispose();
    }
}

/// <summary>The slicer processes of one test, with their data directories (each one's ffmpeg commands name its own).</summary>
internal sealed class SplitSlicers : IAsyncDisposable
{
    private readonly List<(string Data, SlicerProcess Process)> _slicers = [];

    public IReadOnlyList<(string Data, SlicerProcess Process)> All => _slicers;

    public void Add(string data, SlicerProcess process) => _slicers.Add((data, process));

    /// <summary>The slicer process that claimed <paramref name="job"/> itself (not one of its parts).</summary>
    public (string Data, SlicerProcess Process) Running(string job) =>
        Assert.Single(_slicers, s => s.Process.Output.Contains($"claimed job {job} (Create)", StringComparison.Ordinal));

    public async ValueTask DisposeAsync()
    {
        foreach (var (data, process) in _slicers)
        {
            await process.DisposeAsync();
            // A killed slicer's ffmpeg outlives it (the process tree is gone); it is this test's, so end it.
            foreach (var pid in ProcessScan.FfmpegMentioning(data))
            {
                try
                {
                    using var orphan = System.Diagnostics.Process.GetProcessById(pid);
                    orphan.Kill();
                }
                catch (ArgumentException)
                {
                    // it ended on its own meanwhile
                }
            }
        }
    }
}
