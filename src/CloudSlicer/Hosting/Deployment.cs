using Microsoft.Extensions.Configuration;

namespace CloudSlicer.Hosting;

/// <summary>
/// Where this process keeps its state, resolved once from configuration (<c>Data</c>, <c>Db</c>, <c>Blobs</c>).
/// The one-box default puts everything under the data directory.
/// </summary>
public sealed record Deployment(string DataDirectory, string DatabasePath, string BlobDirectory, string WorkDirectory)
{
    public static Deployment From(IConfiguration configuration)
    {
        var data = Path.GetFullPath(NonEmpty(configuration["Data"]) ?? "data");
        var db = NonEmpty(configuration["Db"]);
        var blobs = NonEmpty(configuration["Blobs"]);

        if (db is not null && LooksLikePostgres(db))
        {
            throw new ConfigurationException($"--db '{Redact(db)}' is a PostgreSQL connection string; this build stores jobs in SQLite only (give a file path, or leave --db out to use {Path.Combine(data, "cloudslicer.db")})");
        }

        if (blobs is not null && blobs.StartsWith("s3://", StringComparison.OrdinalIgnoreCase))
        {
            throw new ConfigurationException("--blobs s3://... is not supported by this build yet; give a directory, or leave --blobs out to use the data directory");
        }

        return new Deployment(
            data,
            Path.GetFullPath(db ?? Path.Combine(data, "cloudslicer.db")),
            Path.GetFullPath(blobs ?? Path.Combine(data, "blobs")),
            Path.GetFullPath(NonEmpty(configuration["Slicer:WorkDirectory"]) ?? Path.Combine(blobs ?? data, ".work")));
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static bool LooksLikePostgres(string db) =>
        db.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
        || db.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase)
        || db.Contains("Host=", StringComparison.OrdinalIgnoreCase);

    // A connection string may carry a password; never echo it.
    private static string Redact(string db) => db.Length > 12 ? db[..12] + "…" : db;
}
