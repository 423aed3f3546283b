using System.Globalization;
using Npgsql;

namespace CloudSlicer.Storage.Postgres;

/// <summary>
/// What <c>--db</c> accepts for PostgreSQL: a <c>postgresql://user:password@host:port/database?key=value</c> URI
/// (libpq's form; <c>postgres://</c> too) or an Npgsql keyword string (<c>Host=db;Username=cs;...</c>).
/// </summary>
public static class PostgresConnectionString
{
    /// <summary>Whether <paramref name="db"/> names a PostgreSQL database rather than a SQLite file.</summary>
    public static bool IsPostgres(string db)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
            || db.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase)
            || db.Contains("Host=", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>An Npgsql keyword string for <paramref name="db"/>.</summary>
    /// <exception cref="FormatException">The value is neither form; the message never repeats a password.</exception>
    public static string From(string db)
    {
        ArgumentNullException.ThrowIfNull(db);
        try
        {
            return db.Contains("://", StringComparison.Ordinal) ? FromUri(db) : new NpgsqlConnectionStringBuilder(db).ConnectionString;
        }
        catch (ArgumentException ex)
        {
            throw new FormatException($"--db is not a valid PostgreSQL connection string: {ex.Message}", ex);
        }
    }

    private static string FromUri(string db)
    {
        if (!Uri.TryCreate(db, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            throw new FormatException("--db is not a valid postgresql:// URI; the form is postgresql://user:password@host:port/database");
        }

        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host.Trim('[', ']'),
            Port = uri.IsDefaultPort || uri.Port < 0 ? 5432 : uri.Port,
        };
        var database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        if (database.Length > 0)
        {
            builder.Database = database;
        }

        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            builder.Username = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
            if (colon >= 0)
            {
                builder.Password = Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
            }
        }

        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString(equals < 0 ? pair : pair[..equals]);
            var value = equals < 0 ? "" : Uri.UnescapeDataString(pair[(equals + 1)..]);
            builder[LibpqKey(key)] = value;
        }

        return builder.ConnectionString;
    }

    // The libpq query keys people copy from other tools, under Npgsql's names; anything else is passed as given
    // and Npgsql refuses what it does not know.
    private static string LibpqKey(string key) => key.ToLower(CultureInfo.InvariantCulture) switch
    {
        "sslmode" => "SSL Mode",
        "application_name" => "Application Name",
        "connect_timeout" => "Timeout",
        "sslrootcert" => "Root Certificate",
        _ => key,
    };
}
