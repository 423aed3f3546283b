using System.Reflection;
using System.Text.Json.Nodes;
using CloudSlicer.Storage.Sqlite;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace CloudSlicer.ApiBench;

/// <summary>The statements CloudSlicer's SQLite store runs, read from the built CloudSlicer.Storage so the baseline cannot drift from them.</summary>
public static class StoreSql
{
    private static readonly Type Sql = typeof(SqliteDatabase).Assembly.GetType("CloudSlicer.Storage.Sqlite.SqliteSql", throwOnError: true)!;

    /// <summary>Run on every connection open (busy_timeout, synchronous, foreign_keys).</summary>
    public static string ConnectionPragmas { get; } = Const("ConnectionPragmas");

    /// <summary>jobs/create's one INSERT (… RETURNING *).</summary>
    public static string Enqueue { get; } = Const("Enqueue");

    /// <summary>jobs/get's one SELECT by id and owner.</summary>
    public static string Get { get; } = Const("Get");

    /// <summary>The pragmas as one line for the report ("busy_timeout = 5000; synchronous = NORMAL; ...").</summary>
    public static string PragmasLine => string.Join(' ', ConnectionPragmas.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        .Replace("PRAGMA ", "", StringComparison.Ordinal);

    private static string Const(string name) =>
        Sql.GetField(name, BindingFlags.Public | BindingFlags.Static)?.GetRawConstantValue() as string
            ?? throw new InvalidOperationException($"SqliteSql.{name} is not a string constant any more; update the baseline");
}

/// <summary>The create request body of the baseline: the same parameters as jobs/create, as plain JSON.</summary>
public sealed record BaselineCreate(JsonObject? Source, JsonObject? Args);

/// <summary>What the baseline answers: a small JSON object.</summary>
public sealed record BaselineJob(string Id, string State, string Owner, string Args, string Source, long Created);

/// <summary>
/// The baseline: a bare ASP.NET Core minimal API in this process (Kestrel on a loopback port, logging off) doing the
/// same single database statement per request as CloudSlicer — the jobs INSERT for create, the SELECT by id for get —
/// on a SQLite file with CloudSlicer's schema, WAL, and CloudSlicer's per-connection pragmas, through a pooled
/// Microsoft.Data.Sqlite connection per request as CloudSlicer's store opens one. No signing, no api2 envelope.
/// </summary>
public sealed class BaselineServer : IAsyncDisposable
{
    public const string Owner = "0123456789abcdef0123456789abcdef";

    private readonly WebApplication _app;
    private readonly string _connectionString;

    private BaselineServer(WebApplication app, string connectionString, string url)
    {
        _app = app;
        _connectionString = connectionString;
        Url = url;
    }

    public string Url { get; }

    public static async Task<BaselineServer> StartAsync(string databasePath, CancellationToken cancellationToken)
    {
        await CreateSchemaAsync(databasePath, cancellationToken);
        var connectionString = ConnectionString(databasePath);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();

        app.MapPost("/jobs", async (BaselineCreate body, CancellationToken ct) =>
        {
            var url = body.Source?["url"]?.GetValue<string>();
            if (string.IsNullOrEmpty(url))
            {
                return Results.BadRequest();
            }

            var job = await QueryOneAsync(connectionString, StoreSql.Enqueue,
                [
                    ("@id", Guid.NewGuid().ToString("N")), ("@owner", Owner), ("@kind", "create"),
                    ("@args", body.Args?.ToJsonString() ?? "{}"), ("@source", new JsonObject { ["url"] = url }.ToJsonString()),
                    ("@secrets", null), ("@asset", null), ("@now", TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds()),
                ], ct);
            return Results.Json(job);
        });

        app.MapGet("/jobs/{id}", async (string id, CancellationToken ct) =>
        {
            var job = await QueryOneAsync(connectionString, StoreSql.Get, [("@id", id), ("@owner", Owner)], ct);
            return job is null ? Results.NotFound() : Results.Json(job);
        });

        await app.StartAsync(cancellationToken);
        var address = app.Urls.FirstOrDefault() ?? throw new InvalidOperationException("the baseline server has no address");
        return new BaselineServer(app, connectionString, address.TrimEnd('/'));
    }

    /// <summary>The schema (tables and indexes) and WAL mode, made by CloudSlicer's own migration code; untimed.</summary>
    public static async Task CreateSchemaAsync(string databasePath, CancellationToken cancellationToken)
    {
        using var schema = new SqliteDatabase(databasePath);
        await using var connection = await schema.OpenAsync(cancellationToken);
    }

    /// <summary>The connection settings CloudSlicer's SqliteDatabase uses.</summary>
    public static string ConnectionString(string databasePath) => new SqliteConnectionStringBuilder
    {
        DataSource = Path.GetFullPath(databasePath),
        Mode = SqliteOpenMode.ReadWriteCreate,
        Pooling = true,
        DefaultTimeout = 5,
    }.ToString();

    // Native handles whose pragmas have run: like CloudSlicer's store, once per native connection, not per open.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<object, object> Configured = [];

    /// <summary>
    /// Opens a pooled connection, applies the pragmas the first time its native handle is seen, runs one
    /// statement and reads its first row (as CloudSlicer's store does).
    /// </summary>
    public static async Task<BaselineJob?> QueryOneAsync(
        string connectionString, string sql, IReadOnlyList<(string Name, object? Value)> parameters, CancellationToken ct)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(ct);
        if (connection.Handle is { } handle && !Configured.TryGetValue(handle, out _))
        {
            await using var pragmas = connection.CreateCommand();
            pragmas.CommandText = StoreSql.ConnectionPragmas;
            await pragmas.ExecuteNonQueryAsync(ct);
            Configured.AddOrUpdate(handle, handle);
        }

        await using var command = connection.CreateCommand();
#pragma warning disable CA2100 // The statements are CloudSlicer's constants; values travel as parameters.
        command.CommandText = sql;
#pragma warning restore CA2100
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            return null;
        }

        var job = new BaselineJob(
            reader.GetString(reader.GetOrdinal("id")), reader.GetString(reader.GetOrdinal("state")), reader.GetString(reader.GetOrdinal("owner")),
            reader.GetString(reader.GetOrdinal("args")), reader.GetString(reader.GetOrdinal("source")), reader.GetInt64(reader.GetOrdinal("created")));
        while (await reader.ReadAsync(ct))
        {
            // drain: RETURNING completes its statement only when stepped to the end
        }

        return job;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
    }
}
