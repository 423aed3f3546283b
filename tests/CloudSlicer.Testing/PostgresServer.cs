using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace CloudSlicer.Testing;

/// <summary>
/// A real PostgreSQL server (Debian's binaries, installed by <c>scripts/deps.sh test</c>) in a private cluster
/// under /tmp, listening on 127.0.0.1 only, with trust authentication and durability off (a test cluster). As
/// root, the server runs as the <c>postgres</c> user, since PostgreSQL refuses to run as root.
/// <see cref="SharedAsync"/> is one server per test process, each caller taking a fresh database from
/// <see cref="CreateDatabaseAsync"/>; a fault test that restarts or stops the server starts its own.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private const string Superuser = "cloudslicer";
    private static readonly SemaphoreSlim SharedGate = new(1, 1);
    private static PostgresServer? _shared;

    private readonly string _binDirectory;
    private Process? _guardian;

    private PostgresServer(string binDirectory, string dataDirectory, int port)
    {
        _binDirectory = binDirectory;
        DataDirectory = dataDirectory;
        Port = port;
    }

    public string DataDirectory { get; }

    public int Port { get; }

    /// <summary>A keyword connection string for the server's <c>postgres</c> database as the superuser.</summary>
    public string AdminConnectionString => ConnectionStringFor("postgres");

    /// <summary>The server shared by every test of this process; stopped when the process exits.</summary>
    public static async Task<PostgresServer> SharedAsync()
    {
        await SharedGate.WaitAsync();
        try
        {
            if (_shared is null)
            {
                var server = await StartAsync();
                AppDomain.CurrentDomain.ProcessExit += (_, _) => server.StopAndDelete();
                _shared = server;
            }

            return _shared;
        }
        finally
        {
            SharedGate.Release();
        }
    }

    /// <summary>Creates a cluster in a new temporary directory and starts a server on a free loopback port.</summary>
    public static async Task<PostgresServer> StartAsync()
    {
        var bin = FindBinDirectory();
        DeleteStaleClusters();
        var data = Path.Combine(Path.GetTempPath(), $"cloudslicer-pg-{Guid.NewGuid():N}");
        await RunAsync(bin, "initdb", ["-D", data, "-U", Superuser, "-A", "trust", "-E", "UTF8", "--no-sync", "--no-instructions"]);
        var server = new PostgresServer(bin, data, FreePort());
        await server.StartServerAsync();
        server.StartGuardian();
        return server;
    }

    /// <summary>A keyword connection string for <paramref name="database"/>.</summary>
    public string ConnectionStringFor(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = Superuser,
        Database = database,
        // Tests open many short-lived data sources; keep each one's idle connections few.
        MaxPoolSize = 20,
    }.ConnectionString;

    /// <summary>A new empty database (no schema: CloudSlicer migrates it), returned as a keyword connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = $"t_{Guid.NewGuid():N}";
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        await command.ExecuteNonQueryAsync();
        return ConnectionStringFor(name);
    }

    /// <summary>Stops the server as a crash would (immediate mode: no checkpoint), keeping its files.</summary>
    public Task StopAsync(bool immediate = true) =>
        RunAsync(_binDirectory, "pg_ctl", ["-D", DataDirectory, "stop", "-w", "-m", immediate ? "immediate" : "fast"]);

    /// <summary>Starts a stopped server again on the same port and waits until it takes connections.</summary>
    public Task StartServerAsync() => StartServerCoreAsync();

    public async ValueTask DisposeAsync()
    {
        if (ReferenceEquals(this, _shared))
        {
            return;
        }

        await RunAsync(_binDirectory, "pg_ctl", ["-D", DataDirectory, "stop", "-w", "-m", "immediate"], throwOnFailure: false);
        DeleteData();
        _guardian?.StandardInput.Close();   // nothing left to guard
        _guardian?.Dispose();
    }

    // pg_ctl runs the server as a daemon, so it outlives a test process that is killed before its exit handler runs
    // (the test host can be killed at the end of a run). A guardian shell holds a pipe from this process: when the
    // pipe closes, however this process ended, `read` returns and the guardian stops the cluster and removes it.
    private void StartGuardian()
    {
        const string Script = "read -r _; \"$0\" -D \"$1\" stop -m immediate >/dev/null 2>&1; rm -rf \"$1\"";
        var asRoot = Environment.UserName == "root";
        var start = new ProcessStartInfo(asRoot ? "runuser" : "/bin/sh")
        {
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        string[] args = [.. asRoot ? ["-u", "postgres", "--", "/bin/sh"] : Array.Empty<string>(), "-c", Script, Path.Combine(_binDirectory, "pg_ctl"), DataDirectory];
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        _guardian = Process.Start(start);
    }

    private async Task StartServerCoreAsync()
    {
        var options = string.Join(' ',
            "-c listen_addresses=127.0.0.1", $"-p {Port.ToString(CultureInfo.InvariantCulture)}", $"-k {DataDirectory}",
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300 -c shared_buffers=32MB");
        await RunAsync(_binDirectory, "pg_ctl", ["-D", DataDirectory, "-o", options, "-l", Path.Combine(DataDirectory, "server.log"), "-w", "-t", "60", "start"]);
        await Eventually.UntilAsync(CanConnectAsync, ok => ok, TimeSpan.FromSeconds(30), $"PostgreSQL on port {Port} to take connections");
    }

    private async Task<bool> CanConnectAsync()
    {
        try
        {
            await using var connection = new NpgsqlConnection(AdminConnectionString + ";Pooling=false;Timeout=2");
            await connection.OpenAsync();
            return true;
        }
        catch (NpgsqlException)
        {
            return false;
        }
    }

    private void StopAndDelete()
    {
        using var stop = Process.Start(StartInfo(_binDirectory, "pg_ctl", ["-D", DataDirectory, "stop", "-w", "-m", "immediate"]));
        stop?.WaitForExit(TimeSpan.FromSeconds(20));
        DeleteData();
    }

    private void DeleteData()
    {
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: /tmp is cleaned by the machine anyway.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    // A test process killed before its exit handler ran leaves its stopped cluster behind; one without a running
    // server (no postmaster.pid) that is older than any start could take is removed.
    private static void DeleteStaleClusters()
    {
        foreach (var directory in Directory.GetDirectories(Path.GetTempPath(), "cloudslicer-pg-*"))
        {
            if (!File.Exists(Path.Combine(directory, "postmaster.pid"))
                && Directory.GetLastWriteTimeUtc(directory) < TimeProvider.System.GetUtcNow().UtcDateTime.AddMinutes(-10))
            {
                new PostgresServer("", directory, 0).DeleteData();
            }
        }
    }

    private static async Task RunAsync(string bin, string tool, IReadOnlyList<string> args, bool throwOnFailure = true)
    {
        using var process = Process.Start(StartInfo(bin, tool, args)) ?? throw new InvalidOperationException($"{tool} did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (throwOnFailure && process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{tool} {string.Join(' ', args)} exited {process.ExitCode}: {await stderr}{await stdout}");
        }
    }

    // PostgreSQL refuses to run as root; the Debian package creates the postgres user it runs as.
    private static ProcessStartInfo StartInfo(string bin, string tool, IReadOnlyList<string> args)
    {
        var asRoot = Environment.UserName == "root";
        var start = new ProcessStartInfo(asRoot ? "runuser" : Path.Combine(bin, tool))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        if (asRoot)
        {
            foreach (var arg in new[] { "-u", "postgres", "--", Path.Combine(bin, tool) })
            {
                start.ArgumentList.Add(arg);
            }
        }

        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return start;
    }

    private static string FindBinDirectory()
    {
        var versions = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Where(d => File.Exists(Path.Combine(d, "bin", "initdb"))).ToList()
            : [];
        return versions.Count > 0
            ? Path.Combine(versions.OrderBy(d => int.TryParse(Path.GetFileName(d), out var v) ? v : 0).Last(), "bin")
            : throw new InvalidOperationException("PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb); run scripts/deps.sh test");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
