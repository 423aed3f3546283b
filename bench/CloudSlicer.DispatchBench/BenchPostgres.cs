using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using CloudSlicer.Testing;
using Npgsql;

namespace CloudSlicer.DispatchBench;

/// <summary>
/// A private PostgreSQL cluster for the bench, started as tests/CloudSlicer.Testing's <c>PostgresServer</c> starts
/// one (Debian's binaries, a directory under /tmp, 127.0.0.1 only, trust authentication, run as <c>postgres</c> when
/// root) but, unless asked otherwise, with PostgreSQL's durable defaults: a deployment commits with fsync, and every
/// dispatch commits twice (the create, the claim), so a benchmark with durability off would flatter both sides.
/// </summary>
public sealed class BenchPostgres : IAsyncDisposable
{
    private const string Superuser = "cloudslicer";

    private readonly string _bin;

    private BenchPostgres(string bin, string dataDirectory, int port, bool durable)
    {
        _bin = bin;
        DataDirectory = dataDirectory;
        Port = port;
        Durable = durable;
    }

    public string DataDirectory { get; }

    public int Port { get; }

    public bool Durable { get; }

    /// <summary>The server's version line (<c>SELECT version()</c>), for the report.</summary>
    public string Version { get; private set; } = "";

    /// <summary>The settings that decide what a commit costs, as the server reports them.</summary>
    public string CommitSettings { get; private set; } = "";

    /// <summary>The PID of the postmaster, whose children are the backends (their CPU is the database's).</summary>
    public int PostmasterPid => int.Parse(File.ReadLines(Path.Combine(DataDirectory, "postmaster.pid")).First(), CultureInfo.InvariantCulture);

    /// <param name="nice">The niceness the server runs at (its backends inherit it); 0 leaves it alone.</param>
    public static async Task<BenchPostgres> StartAsync(bool durable, int nice, CancellationToken ct)
    {
        var bin = FindBinDirectory();
        var data = Path.Combine(Path.GetTempPath(), $"cloudslicer-pg-dispatch-{Guid.NewGuid():N}");
        await RunAsync(bin, "initdb", ["-D", data, "-U", Superuser, "-A", "trust", "-E", "UTF8", "--no-instructions"], ct);
        var server = new BenchPostgres(bin, data, FreePort(), durable);
        var options = string.Join(' ',
            "-c listen_addresses=127.0.0.1", $"-p {server.Port.ToString(CultureInfo.InvariantCulture)}", $"-k {data}",
            durable ? "" : "-c fsync=off -c synchronous_commit=off -c full_page_writes=off");
        await RunAsync(bin, "pg_ctl", ["-D", data, "-o", options, "-l", Path.Combine(data, "server.log"), "-w", "-t", "60", "start"], ct, nice: nice);
        await Eventually.UntilAsync(server.CanConnectAsync, ok => ok, TimeSpan.FromSeconds(30), $"PostgreSQL on port {server.Port} to take connections");

        await using var connection = new NpgsqlConnection(server.ConnectionStringFor("postgres"));
        await connection.OpenAsync(ct);
        server.Version = await ScalarAsync(connection, "SELECT version()", ct);
        server.CommitSettings = await ScalarAsync(connection,
            "SELECT string_agg(name || '=' || setting, ', ' ORDER BY name) FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'wal_sync_method', 'full_page_writes')", ct);
        return server;
    }

    public string ConnectionStringFor(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = Superuser,
        Database = database,
    }.ConnectionString;

    /// <summary>A new empty database as a keyword connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string name, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(ConnectionStringFor("postgres"));
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        await command.ExecuteNonQueryAsync(ct);
        return ConnectionStringFor(name);
    }

    /// <summary>CPU time of the postmaster and its children (the backends, the WAL writer, ...).</summary>
    public TimeSpan Cpu()
    {
        var postmaster = PostmasterPid;
        var total = TimeSpan.Zero;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }

            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                var parent = int.Parse(fields[1], CultureInfo.InvariantCulture);
                if (pid == postmaster || parent == postmaster)
                {
                    total += Bench.CpuTimes.Of(pid).Own;
                }
            }
            catch (IOException)
            {
                // The process ended while we looked.
            }
        }

        return total;
    }

    public async ValueTask DisposeAsync() => await StopAsync(delete: true);

    public async Task StopAsync(bool delete)
    {
        await RunAsync(_bin, "pg_ctl", ["-D", DataDirectory, "stop", "-w", "-m", "fast"], CancellationToken.None, throwOnFailure: false);
        if (delete)
        {
            try
            {
                Directory.Delete(DataDirectory, recursive: true);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Best effort: /tmp is cleaned by the machine anyway.
            }
        }
    }

    private async Task<bool> CanConnectAsync()
    {
        try
        {
            await using var connection = new NpgsqlConnection(ConnectionStringFor("postgres") + ";Pooling=false;Timeout=2");
            await connection.OpenAsync();
            return true;
        }
        catch (NpgsqlException)
        {
            return false;
        }
    }

    private static async Task<string> ScalarAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToString(await command.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture) ?? "";
    }

    private static async Task RunAsync(string bin, string tool, IReadOnlyList<string> args, CancellationToken ct, bool throwOnFailure = true, int nice = 0)
    {
        // PostgreSQL refuses to run as root; the Debian package creates the postgres user it runs as.
        var asRoot = Environment.UserName == "root";
        var command = Niceness.Prefix(nice).Concat(asRoot ? ["runuser", "-u", "postgres", "--", Path.Combine(bin, tool)] : [Path.Combine(bin, tool)]).ToList();
        var start = new ProcessStartInfo(command[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        foreach (var arg in command.Skip(1).Concat(args))
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{tool} did not start");
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        if (throwOnFailure && process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{tool} {string.Join(' ', args)} exited {process.ExitCode}: {await stderr}{await stdout}");
        }
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
