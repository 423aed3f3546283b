using CloudSlicer.Storage;
using CloudSlicer.Storage.Postgres;
using Microsoft.Extensions.DependencyInjection;

namespace CloudSlicer.Hosting;

/// <summary>
/// Where the jobs, owners, assets and the rest of the records live (<c>--db</c>): a SQLite file on this machine,
/// or a PostgreSQL database that every process of a scaled-out deployment shares.
/// </summary>
public abstract record JobStoreLocation
{
    private JobStoreLocation()
    {
    }

    /// <summary>Registers the stores for this location: what <c>serve</c>, <c>slicer</c> and <c>owner</c> all use.</summary>
    public abstract IServiceCollection AddTo(IServiceCollection services);

    /// <summary>
    /// The location <paramref name="db"/> names: a PostgreSQL URI or keyword string (see
    /// <see cref="PostgresConnectionString"/>), otherwise a SQLite file path; <c>null</c> is the one-box default.
    /// </summary>
    /// <exception cref="ConfigurationException">A PostgreSQL value that cannot be read; the message never holds its password.</exception>
    public static JobStoreLocation From(string? db, string dataDirectory)
    {
        if (db is null)
        {
            return new SqliteFile(Path.GetFullPath(Path.Combine(dataDirectory, "cloudslicer.db")));
        }

        if (!PostgresConnectionString.IsPostgres(db))
        {
            return new SqliteFile(Path.GetFullPath(db));
        }

        try
        {
            return new Postgres(PostgresConnectionString.From(db));
        }
        catch (FormatException ex)
        {
            throw new ConfigurationException(
                $"{SecretText.Without(ex.Message, db)}; give postgresql://user:password@host:5432/database or Host=...;Username=...;Database=...");
        }
    }

    /// <summary>A SQLite file (WAL): the one-box default, or several processes on one machine.</summary>
    public sealed record SqliteFile(string Path) : JobStoreLocation
    {
        public override IServiceCollection AddTo(IServiceCollection services) => services.AddSqliteStorage(Path);
    }

    /// <summary>A PostgreSQL database, as an Npgsql keyword string (which may hold a password: never printed).</summary>
    public sealed record Postgres(string ConnectionString) : JobStoreLocation
    {
        public override IServiceCollection AddTo(IServiceCollection services) => services.AddPostgresStorage(ConnectionString);

        // Records print every member; this one would print the password into a log or an exception.
        public override string ToString() => "Postgres { ConnectionString = (hidden) }";
    }
}
