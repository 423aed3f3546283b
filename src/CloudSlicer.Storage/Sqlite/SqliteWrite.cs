using Microsoft.Data.Sqlite;

namespace CloudSlicer.Storage.Sqlite;

/// <summary>
/// A write transaction on its own connection, holding this process's writer turn (<see cref="SqliteDatabase.BeginWriteAsync"/>).
/// Disposing it without <see cref="CommitAsync"/> rolls back; either way the turn passes to the next writer.
/// </summary>
public sealed class SqliteWrite(SqliteConnection connection, SqliteTransaction transaction, IDisposable turn) : IAsyncDisposable
{
    public SqliteConnection Connection { get; } = connection;

    public Task CommitAsync(CancellationToken cancellationToken) => transaction.CommitAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await transaction.DisposeAsync();
            await Connection.DisposeAsync();
        }
        finally
        {
            turn.Dispose();
        }
    }
}
