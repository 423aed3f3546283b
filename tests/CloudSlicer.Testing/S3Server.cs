using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace CloudSlicer.Testing;

/// <summary>
/// A real S3-protocol server for tests: moto's <c>moto_server</c> (part of this machine image's Python 3.11, see
/// ../shared/PACKAGES.md) on a free 127.0.0.1 port, in memory. <see cref="SharedAsync"/> is one server per test
/// process, each caller taking a fresh bucket; a fault test that stops the server starts its own. moto does not
/// check signatures, so any access key works; tests still sign, as a real S3 requires.
/// </summary>
public sealed class S3Server : IAsyncDisposable
{
    public const string AccessKey = "cloudslicer-test";
    public const string SecretKey = "cloudslicer-test-secret";
    public const string Region = "us-east-1";

    private static readonly SemaphoreSlim SharedGate = new(1, 1);
    private static S3Server? _shared;

    private Process? _process;

    private S3Server(int port) => Port = port;

    public int Port { get; }

    /// <summary>The endpoint the S3 clients talk to (path-style addressing).</summary>
    public Uri Endpoint => new($"http://127.0.0.1:{Port}");

    /// <summary>The server shared by every test of this process; stopped when the process exits.</summary>
    public static async Task<S3Server> SharedAsync()
    {
        await SharedGate.WaitAsync();
        try
        {
            if (_shared is null)
            {
                var server = await StartAsync();
                AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Kill();
                _shared = server;
            }

            return _shared;
        }
        finally
        {
            SharedGate.Release();
        }
    }

    /// <summary>Starts a server of its own on a free loopback port and waits until it answers.</summary>
    public static async Task<S3Server> StartAsync()
    {
        var server = new S3Server(FreePort());
        await server.StartServerAsync();
        return server;
    }

    /// <summary>Starts the server (again, after <see cref="Stop"/>: on the same port, with nothing stored).</summary>
    public async Task StartServerAsync()
    {
        // moto runs under a shell that holds a pipe from this process: when the test process ends in any way (its
        // exit handler may never run: the test host can be killed at the end of a run), the pipe closes, `read`
        // returns and the shell ends moto, so no moto_server outlives its tests.
        var start = new ProcessStartInfo("/bin/sh")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "-c", "\"$0\" -H 127.0.0.1 -p \"$1\" </dev/null & moto=$!; read -r _; kill $moto", FindMotoServer(), Port.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(arg);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("moto_server did not start");
        // Drain its request log so a full pipe never blocks it.
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await Eventually.UntilAsync(AnswersAsync, ok => ok, TimeSpan.FromSeconds(60), $"moto_server on port {Port} to answer");
    }

    /// <summary>Stops the server at once, as a crash or an outage would.</summary>
    public void Stop() => Kill();

    /// <summary>An S3 client for this server (path-style, test credentials).</summary>
    public AmazonS3Client CreateClient() => new(
        new BasicAWSCredentials(AccessKey, SecretKey),
        new AmazonS3Config
        {
            ServiceURL = Endpoint.ToString(),
            ForcePathStyle = true,
            AuthenticationRegion = Region,
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        });

    /// <summary>Creates a new empty bucket and returns its name.</summary>
    public async Task<string> CreateBucketAsync()
    {
        var name = $"t-{Guid.NewGuid():N}";
        using var client = CreateClient();
        await client.PutBucketAsync(new PutBucketRequest { BucketName = name });
        return name;
    }

    /// <summary>The <c>--blobs</c> value for <paramref name="bucket"/> under <paramref name="prefix"/> on this server.</summary>
    public string BlobsUri(string bucket, string prefix = "cloudslicer") =>
        $"s3://{bucket}/{prefix}?endpoint={Uri.EscapeDataString(Endpoint.ToString().TrimEnd('/'))}&region={Region}";

    /// <summary>Environment variables that give a CloudSlicer process this server's test credentials (the AWS chain).</summary>
    public static IReadOnlyDictionary<string, string> CredentialsEnvironment => new Dictionary<string, string>
    {
        ["AWS_ACCESS_KEY_ID"] = AccessKey,
        ["AWS_SECRET_ACCESS_KEY"] = SecretKey,
    };

    public ValueTask DisposeAsync()
    {
        if (!ReferenceEquals(this, _shared))
        {
            Kill();
        }

        return ValueTask.CompletedTask;
    }

    private void Kill()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(TimeSpan.FromSeconds(10));
        }

        _process?.Dispose();
        _process = null;
    }

    private async Task<bool> AnswersAsync()
    {
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
            using var response = await http.GetAsync(Endpoint);
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (TaskCanceledException)
        {
            return false;
        }
    }

    // moto_server is on PATH in the machine image (pyenv's shims); a non-login shell may lack the shim directory.
    private static string FindMotoServer()
    {
        var candidates = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Append("/root/.pyenv/shims")
            .Append("/usr/local/bin")
            .Select(directory => Path.Combine(directory, "moto_server"));
        return candidates.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("moto_server is not installed (it comes with the machine image's Python 3.11 and its moto package)");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
