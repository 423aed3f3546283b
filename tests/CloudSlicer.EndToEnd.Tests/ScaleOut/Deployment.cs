using System.Diagnostics;
using System.Globalization;
using Amazon.S3;
using Amazon.S3.Model;
using CloudSlicer.Testing;

namespace CloudSlicer.EndToEnd.Tests.ScaleOut;

/// <summary>What a fault test asks of a <see cref="Deployment"/>.</summary>
internal sealed record DeploymentSpec
{
    /// <summary>A PostgreSQL server of the test's own (it restarts it); otherwise a fresh database on the shared one.</summary>
    public bool OwnPostgres { get; init; }

    /// <summary>A moto server of the test's own (it stops it); otherwise a fresh bucket on the shared one.</summary>
    public bool OwnS3 { get; init; }

    /// <summary>Every process reaches S3 through a <see cref="TcpOutage"/> the test can cut (moto keeps its data).</summary>
    public bool S3BehindOutage { get; init; }

    /// <summary>How many <c>serve --slicers 0</c> API nodes.</summary>
    public int ApiNodes { get; init; } = 1;

    /// <summary>Variables over the test defaults, for every process of the deployment.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();
}

/// <summary>
/// The scaled-out shape on one machine, as docs/deploy.md lays it out: PostgreSQL, an S3 bucket (moto), API nodes
/// running <c>serve --slicers 0</c> and any number of <c>cloudslicer slicer</c> processes, each process with its own
/// --data directory (its work folders). Disposing it ends every process it started (and any ffmpeg one of them
/// left behind) and the servers of its own.
/// </summary>
internal sealed class Deployment : IAsyncDisposable
{
    private readonly DeploymentSpec _spec;
    private readonly TempDirectory _root = new();
    private readonly List<CloudSlicerProcess> _apis = [];
    private readonly List<SlicerProcess> _slicers = [];
    private readonly Dictionary<SlicerProcess, string> _slicerData = [];
    private PostgresServer _postgres = null!;
    private S3Server _s3 = null!;
    private HttpClient[] _http = [];
    private int _slicerCount;

    private Deployment(DeploymentSpec spec) => _spec = spec;

    public PostgresServer Postgres => _postgres;

    public S3Server S3 => _s3;

    /// <summary>The cut-able way to S3, with <see cref="DeploymentSpec.S3BehindOutage"/>.</summary>
    public TcpOutage? S3Outage { get; private set; }

    public string ConnectionString { get; private set; } = "";

    public string Bucket { get; private set; } = "";

    /// <summary>The key prefix of the deployment's blobs in <see cref="Bucket"/>.</summary>
    public string Prefix { get; } = "cloudslicer";

    public string Owner { get; private set; } = "";

    public string Secret { get; private set; } = "";

    public IReadOnlyList<CloudSlicerProcess> Apis => _apis;

    /// <summary>Where every process's --data directory is (ffmpeg's work files are under it).</summary>
    public string Root => _root.Path;

    /// <summary>--db and --blobs, the same for every process.</summary>
    public string[] StoreArgs => ["--db", ConnectionString, "--blobs", BlobsUri];

    private string BlobsUri => S3Outage is { } outage
        ? $"s3://{Bucket}/{Prefix}?endpoint={Uri.EscapeDataString($"http://127.0.0.1:{outage.Port}")}&region={S3Server.Region}"
        : _s3.BlobsUri(Bucket, Prefix);

    public static async Task<Deployment> StartAsync(DeploymentSpec spec)
    {
        var deployment = new Deployment(spec);
        try
        {
            await deployment.StartServersAndApisAsync();
            return deployment;
        }
        catch
        {
            await deployment.DisposeAsync();
            throw;
        }
    }

    /// <summary>A signed client for the first owner on API node <paramref name="node"/>.</summary>
    public Api2Client Client(int node = 0) => new(_http[node], Owner, Secret);

    /// <summary>A signed client for another owner on API node <paramref name="node"/>.</summary>
    public Api2Client Client(int node, string owner, string secret) => new(_http[node], owner, secret);

    public HttpClient Http(int node = 0) => _http[node];

    /// <summary>Starts one more <c>cloudslicer slicer</c> process with its own --data directory.</summary>
    public async Task<SlicerProcess> StartSlicerAsync(int count = 1, IReadOnlyDictionary<string, string>? environment = null)
    {
        var data = DataDirectory($"slicer{Interlocked.Increment(ref _slicerCount)}");
        var slicer = await SlicerProcess.StartAsync(data, Merge(environment), ["--count", count.ToString(CultureInfo.InvariantCulture), .. StoreArgs]);
        lock (_slicers)
        {
            _slicers.Add(slicer);
            _slicerData[slicer] = data;
        }

        return slicer;
    }

    /// <summary>The --data directory a slicer process was started with (its ffmpeg commands name files under it).</summary>
    public string DataDirectoryOf(SlicerProcess slicer)
    {
        lock (_slicers)
        {
            return _slicerData[slicer];
        }
    }

    /// <summary>SIGKILL to the slicer process alone, as a crash or the OOM killer does: its ffmpeg children are not signalled.</summary>
    public static async Task KillAsync(SlicerProcess slicer)
    {
        using (var kill = Process.Start("kill", ["-KILL", slicer.Pid.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        await Eventually.UntilAsync(() => Task.FromResult(ProcessIsGone(slicer.Pid)), gone => gone, TimeSpan.FromSeconds(10), "the killed slicer process to be gone");
    }

    /// <summary>Adds an owner through the CLI, as an operator does, and returns it with its secret.</summary>
    public async Task<(string Owner, string Secret)> AddOwnerAsync()
    {
        var (exit, stdout, stderr) = await Cli.RunAsync(null, "owner", "add", "--db", ConnectionString, "--data", DataDirectory("cli"));
        Assert.True(exit == 0, stderr);
        var created = System.Text.Json.Nodes.JsonNode.Parse(stdout)!;
        return (created["owner"]!.GetValue<string>(), created["secret"]!.GetValue<string>());
    }

    /// <summary>Every object key in the deployment's bucket under <paramref name="keyPrefix"/> (relative to <see cref="Prefix"/>).</summary>
    public async Task<IReadOnlyList<string>> ListObjectsAsync(string keyPrefix = "")
    {
        using var client = _s3.CreateClient();
        var keys = new List<string>();
        var request = new ListObjectsV2Request { BucketName = Bucket, Prefix = $"{Prefix}/{keyPrefix}" };
        ListObjectsV2Response response;
        do
        {
            response = await client.ListObjectsV2Async(request);
            keys.AddRange((response.S3Objects ?? []).Select(o => o.Key[(Prefix.Length + 1)..]));
            request.ContinuationToken = response.NextContinuationToken;
        }
        while (response.IsTruncated == true);

        return keys;
    }

    /// <summary>After moto restarts (it keeps nothing), the bucket again, under the same name.</summary>
    public async Task RecreateBucketAsync()
    {
        using var client = _s3.CreateClient();
        await client.PutBucketAsync(new PutBucketRequest { BucketName = Bucket });
    }

    public async ValueTask DisposeAsync()
    {
        List<SlicerProcess> slicers;
        lock (_slicers)
        {
            slicers = [.. _slicers];
        }

        foreach (var slicer in slicers)
        {
            await slicer.DisposeAsync();
        }

        foreach (var api in _apis)
        {
            await api.DisposeAsync();
        }

        foreach (var http in _http)
        {
            http.Dispose();
        }

        KillOrphanedFfmpeg();
        if (S3Outage is not null)
        {
            await S3Outage.DisposeAsync();
        }

        if (_spec.OwnPostgres && _postgres is not null)
        {
            await _postgres.DisposeAsync();
        }

        if (_spec.OwnS3 && _s3 is not null)
        {
            await _s3.DisposeAsync();
        }

        _root.Dispose();
    }

    /// <summary>ffmpeg processes still working in this deployment's directories (a SIGKILLed parent does not take them along).</summary>
    public IReadOnlyList<int> RunningFfmpeg() => ProcessScan.FfmpegMentioning(Root);

    private async Task StartServersAndApisAsync()
    {
        _postgres = _spec.OwnPostgres ? await PostgresServer.StartAsync() : await PostgresServer.SharedAsync();
        _s3 = _spec.OwnS3 ? await S3Server.StartAsync() : await S3Server.SharedAsync();
        ConnectionString = await _postgres.CreateDatabaseAsync();
        Bucket = await _s3.CreateBucketAsync();
        S3Outage = _spec.S3BehindOutage ? TcpOutage.Start(_s3.Port) : null;

        // One node first: it migrates the empty database and prints the first owner; the others find both there.
        for (var node = 0; node < _spec.ApiNodes; node++)
        {
            var api = await ServerProcess.StartAsync(DataDirectory($"api{node + 1}"), Merge(null), ["--slicers", "0", .. StoreArgs]);
            _apis.Add(api);
            if (node == 0)
            {
                (Owner, Secret) = (api.Owner!, api.Secret!);
            }
        }

        _http = [.. _apis.Select(api => new HttpClient { BaseAddress = new Uri(api.Url), Timeout = TimeSpan.FromSeconds(30) })];
    }

    private Dictionary<string, string> Merge(IReadOnlyDictionary<string, string>? environment)
    {
        var merged = new Dictionary<string, string>(S3Server.CredentialsEnvironment);
        foreach (var (key, value) in _spec.Environment.Concat(environment ?? new Dictionary<string, string>()))
        {
            merged[key] = value;
        }

        return merged;
    }

    // Gone, or a zombie its parent (this test process) has not reaped yet.
    private static bool ProcessIsGone(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/stat").Split(") ")[1].StartsWith('Z');
        }
        catch (IOException)
        {
            return true;
        }
    }

    private string DataDirectory(string name) => Path.Combine(_root.Path, name);

    private void KillOrphanedFfmpeg()
    {
        foreach (var pid in ProcessScan.FfmpegMentioning(_root.Path))
        {
            try
            {
                using var process = Process.GetProcessById(pid);
                process.Kill();
                process.WaitForExit(TimeSpan.FromSeconds(10));
            }
            catch (ArgumentException)
            {
                // it ended on its own meanwhile
            }
            catch (InvalidOperationException)
            {
            }
        }
    }
}
