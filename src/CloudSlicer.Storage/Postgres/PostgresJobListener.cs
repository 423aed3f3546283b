using CloudSlicer.Storage.Jobs;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CloudSlicer.Storage.Postgres;

/// <summary>
/// Brings other processes' wake-ups and cancels into this process: one long-lived connection LISTENs on
/// <see cref="PostgresJobChannels"/> and raises this process's <see cref="JobSignals"/>, so an idle slicer wakes on
/// a notification rather than its next poll, and a cancel made on another API node stops the job at once rather than
/// at the next heartbeat. When the connection drops (a PostgreSQL restart) slicers fall back to polling and
/// heartbeats while this reconnects with back-off; after each (re)connect it wakes the slicers once, since work may
/// have arrived while nobody was listening.
/// </summary>
public sealed partial class PostgresJobListener(PostgresDatabase db, JobSignals signals, TimeProvider clock, ILogger<PostgresJobListener> logger)
    : BackgroundService
{
    /// <summary>The listening connection's application_name, so an operator can tell it in pg_stat_activity.</summary>
    public const string ApplicationName = "cloudslicer-listener";

    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan LastRetry = TimeSpan.FromSeconds(5);

    // How long the connection may sit silent before a probe checks it is still there: a peer that vanished
    // without closing the socket would otherwise leave this waiting forever while notifications go nowhere.
    private static readonly TimeSpan ProbeAfter = TimeSpan.FromSeconds(15);

    private readonly string _origin = PostgresJobChannels.OriginOf(signals);
    private readonly string _connectionString = new NpgsqlConnectionStringBuilder(db.ConnectionString)
    {
        // Its own physical connection, never returned to the pool with LISTENs on it.
        Pooling = false,
        ApplicationName = ApplicationName,
    }.ConnectionString;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var retry = FirstRetry;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ListenAsync(() => retry = FirstRetry, stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogDisconnected(logger, db.DatabaseName, retry.TotalSeconds, ex);
                // The server went away (a restart, a fail-over): the pool's idle connections are dead too, and each
                // would fail one statement of whoever took it next. Drop them now; new ones are opened on demand.
                db.ForgetIdleConnections();
            }

            await Task.Delay(retry, clock, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            retry = TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, LastRetry.Ticks));
        }
    }

    // Returns only by throwing: a lost connection, or the host stopping.
    private async Task ListenAsync(Action connected, CancellationToken stoppingToken)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync(stoppingToken).ConfigureAwait(false);
        connection.Notification += (_, e) => OnNotification(e.Channel, e.Payload);
        await using (var listen = new NpgsqlCommand($"LISTEN {PostgresJobChannels.Work}; LISTEN {PostgresJobChannels.Cancel};", connection))
        {
            await listen.ExecuteNonQueryAsync(stoppingToken).ConfigureAwait(false);
        }

        connected();
        LogListening(logger, db.DatabaseName);
        signals.NotifyWork();
        while (true)
        {
            if (!await connection.WaitAsync(ProbeAfter, stoppingToken).ConfigureAwait(false))
            {
                await using var probe = new NpgsqlCommand("SELECT 1", connection) { CommandTimeout = (int)ProbeAfter.TotalSeconds };
                await probe.ExecuteScalarAsync(stoppingToken).ConfigureAwait(false);
            }
        }
    }

    // Runs on the connection's reading thread; raising a signal only completes a task or runs a cancel handler.
    private void OnNotification(string channel, string payload)
    {
        switch (channel)
        {
            case PostgresJobChannels.Work when payload != _origin:
                signals.NotifyWork();
                break;
            case PostgresJobChannels.Cancel when PostgresJobChannels.ParseCancel(payload) is var (origin, jobId) && origin != _origin:
                signals.NotifyCancelled(jobId);
                break;
        }
    }

    [LoggerMessage(EventId = 700, Level = LogLevel.Information, Message = "Listening for job wake-ups and cancels on PostgreSQL database {Database}")]
    private static partial void LogListening(ILogger logger, string database);

    [LoggerMessage(EventId = 701, Level = LogLevel.Warning,
        Message = "Lost the job notification connection to PostgreSQL database {Database}; slicers poll until it is back; reconnecting in {Seconds} s")]
    private static partial void LogDisconnected(ILogger logger, string database, double seconds, Exception exception);
}
