using System.Text.Json.Nodes;
using Amazon.S3.Model;
using CloudSlicer.Testing;
using Npgsql;

namespace CloudSlicer.EndToEnd.Tests.Deployed;

/// <summary>
/// The scaled-out shape of issue 8 on one machine, shared by the Deployed tests: a fresh database on the shared
/// PostgreSQL, a fresh bucket on the shared S3 server, two <c>serve --slicers 0</c> API nodes and two
/// <c>cloudslicer slicer</c> processes, all on the same <c>--db</c> and <c>--blobs</c> and each with a data
/// directory of its own (nothing is shared through the local disk). Alice is the first owner; every test reaches
/// both API nodes through the unchanged api2 client.
/// </summary>
public sealed class DeployedShape : IAsyncLifetime
{
    public const string Prefix = "cloudslicer";
    public static readonly TimeSpan Deadline = TimeSpan.FromMinutes(3);

    private readonly TempDirectory _root = new();
    private readonly List<SlicerProcess> _slicers = [];
    private LoopbackFileServer _files = null!;

    public string Database { get; private set; } = "";

    public S3Server S3 { get; private set; } = null!;

    public string Bucket { get; private set; } = "";

    public ApiNode A { get; private set; } = null!;

    public ApiNode B { get; private set; } = null!;

    public IReadOnlyList<ApiNode> Nodes => [A, B];

    internal IReadOnlyList<SlicerProcess> Slicers => _slicers;

    public NotificationReceiver Receiver { get; private set; } = null!;

    public string Url(string name) => _files.UrlOf(name);

    public async Task InitializeAsync()
    {
        var sources = Path.Combine(_root.Path, "sources");
        Directory.CreateDirectory(sources);
        await Task.WhenAll(
            MediaClips.GenerateAsync(Path.Combine(sources, "clip.mp4"), new MediaClipSpec { Duration = TimeSpan.FromSeconds(10), Width = 320, Height = 180, FrameRate = 30 }),
            MediaClips.GenerateAsync(Path.Combine(sources, "spanish.m4a"), new MediaClipSpec { Duration = TimeSpan.FromSeconds(5), WithVideo = false, Container = "m4a" }));
        _files = await LoopbackFileServer.StartAsync(sources);
        Receiver = await NotificationReceiver.StartAsync();

        Database = await (await PostgresServer.SharedAsync()).CreateDatabaseAsync();
        S3 = await S3Server.SharedAsync();
        Bucket = await S3.CreateBucketAsync();
        string[] stores = ["--db", Database, "--blobs", S3.BlobsUri(Bucket, Prefix)];
        var env = new Dictionary<string, string>(S3Server.CredentialsEnvironment) { ["CLOUDSLICER_Notifications__PollInterval"] = "00:00:00.100" };

        // The first node makes the first owner; the second finds it there.
        A = await ApiNode.StartAsync(Path.Combine(_root.Path, "api-a"), env, stores, null);
        B = await ApiNode.StartAsync(Path.Combine(_root.Path, "api-b"), env, stores, A);
        foreach (var name in new[] { "slicer-1", "slicer-2" })
        {
            _slicers.Add(await SlicerProcess.StartAsync(Path.Combine(_root.Path, name), env, ["--count", "1", .. stores]));
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var slicer in _slicers)
        {
            await slicer.DisposeAsync();
        }

        if (B is not null)
        {
            await B.DisposeAsync();
        }

        if (A is not null)
        {
            await A.DisposeAsync();
        }

        if (Receiver is not null)
        {
            await Receiver.DisposeAsync();
        }

        if (_files is not null)
        {
            await _files.DisposeAsync();
        }

        _root.Dispose();
    }

    /// <summary>A new owner made by <c>cloudslicer owner add --db</c>, as an operator adds one beside running nodes.</summary>
    public async Task<(string Owner, string Secret)> AddOwnerAsync()
    {
        var added = await Cli.RunAsync(null, "owner", "add", "--db", Database);
        Assert.True(added.ExitCode == 0, added.Stderr);
        var owner = JsonNode.Parse(added.Stdout)!;
        return (owner["owner"]!.GetValue<string>(), owner["secret"]!.GetValue<string>());
    }

    /// <summary>The keys of the bucket under <c>{prefix}/assets/{asset}/</c>.</summary>
    public async Task<IReadOnlyList<string>> ObjectsOfAsync(string asset)
    {
        using var client = S3.CreateClient();
        var keys = new List<string>();
        var request = new ListObjectsV2Request { BucketName = Bucket, Prefix = $"{Prefix}/assets/{asset}/" };
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

    public async Task<byte[]> ObjectBytesAsync(string key)
    {
        using var client = S3.CreateClient();
        using var response = await client.GetObjectAsync(Bucket, key);
        using var bytes = new MemoryStream();
        await response.ResponseStream.CopyToAsync(bytes);
        return bytes.ToArray();
    }

    /// <summary>One SQL query on the deployment's database (for what no API shows: the notification outbox).</summary>
    public async Task<IReadOnlyList<object[]>> QueryAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(Database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        var rows = new List<object[]>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var row = new object[reader.FieldCount];
            reader.GetValues(row);
            rows.Add(row);
        }

        return rows;
    }

    /// <summary>Alice's job, created on node A; waits until it is done.</summary>
    public async Task<JsonObject> CreateDoneAsync(object args)
    {
        var id = await A.Alice.CreateAsync(Url("clip.mp4"), args);
        return await DoneAsync(B.Alice, id);   // watched through the other node
    }

    public static async Task<JsonObject> DoneAsync(Api2Client client, string job)
    {
        var (finished, _) = await client.WaitFinishedAsync(job, Deadline);
        Assert.True(finished["state"]!.GetValue<string>() == "done", finished.ToJsonString());
        return finished;
    }

    /// <summary>Starts a job of another kind (<c>/api2/cloudslicer/jobs/{endpoint}</c>) and waits until it is done.</summary>
    public static async Task<JsonObject> RunAsync(Api2Client client, string endpoint, object parameters)
    {
        var response = Ok(await client.CallAsync($"/api2/cloudslicer/jobs/{endpoint}", parameters));
        return await DoneAsync(client, response["job"]!["id"]!.GetValue<string>());
    }

    public static JsonObject Ok(JsonObject response)
    {
        Assert.True(response["error"]!.GetValue<int>() == 0, response.ToJsonString());
        return response;
    }
}

[CollectionDefinition(Name)]
public sealed class DeployedCollection : ICollectionFixture<DeployedShape>
{
    public const string Name = "Deployed shape";
}
