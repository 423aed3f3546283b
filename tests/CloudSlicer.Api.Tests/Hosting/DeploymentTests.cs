using CloudSlicer.Hosting;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace CloudSlicer.Api.Tests.Hosting;

/// <summary>
/// What <c>--data</c>, <c>--db</c> and <c>--blobs</c> resolve to: a SQLite file or a PostgreSQL database for the
/// records, a directory for the files; bad values stop start-up with one line that never holds a password.
/// </summary>
public sealed class DeploymentTests
{
    private static readonly string Data = Path.Combine(Path.GetTempPath(), "cloudslicer-deployment-data");

    [Fact]
    public void The_one_box_default_keeps_everything_under_the_data_directory()
    {
        var deployment = From(db: null, blobs: null);

        Assert.Equal(new JobStoreLocation.SqliteFile(Path.Combine(Data, "cloudslicer.db")), deployment.JobStore);
        Assert.Equal(new BlobStoreLocation.LocalDisk(Path.Combine(Data, "blobs")), deployment.BlobStore);
        Assert.Equal(Path.Combine(Data, "blobs", ".work"), deployment.WorkDirectory);
    }

    [Fact]
    public void A_file_path_is_a_sqlite_job_store_resolved_to_a_full_path()
    {
        var deployment = From(db: "shared/jobs.db", blobs: "/srv/blobs");

        Assert.Equal(new JobStoreLocation.SqliteFile(Path.GetFullPath("shared/jobs.db")), deployment.JobStore);
        Assert.Equal(new BlobStoreLocation.LocalDisk("/srv/blobs"), deployment.BlobStore);
        Assert.Equal("/srv/blobs/.work", deployment.WorkDirectory);
    }

    [Fact]
    public void A_postgresql_uri_is_a_postgres_job_store()
    {
        var store = Assert.IsType<JobStoreLocation.Postgres>(From("postgresql://cs:s%40cret@db.example.net:6432/cloudslicer?sslmode=require", null).JobStore);

        var parsed = new NpgsqlConnectionStringBuilder(store.ConnectionString);
        Assert.Equal(("db.example.net", 6432, "cloudslicer", "cs", "s@cret", SslMode.Require),
            (parsed.Host, parsed.Port, parsed.Database, parsed.Username, parsed.Password, parsed.SslMode));
        Assert.DoesNotContain("s@cret", store.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void An_npgsql_keyword_string_is_a_postgres_job_store()
    {
        var store = Assert.IsType<JobStoreLocation.Postgres>(From("Host=db;Username=cs;Password=hunter2;Database=cloudslicer", null).JobStore);

        var parsed = new NpgsqlConnectionStringBuilder(store.ConnectionString);
        Assert.Equal(("db", "cs", "hunter2", "cloudslicer"), (parsed.Host, parsed.Username, parsed.Password, parsed.Database));
    }

    [Theory]
    [InlineData("postgresql://cs:hunter2@:5432/cloudslicer")]                // no host
    [InlineData("postgresql://cs:hunter2@db/cloudslicer?no_such_key=1")]     // a key Npgsql does not know
    [InlineData("Host=db;Username=cs;Password=hunter2;Port=notanumber")]
    [InlineData("Host=db;Password=hunter2;Bogus Keyword=hunter2")]
    public void A_malformed_postgres_connection_stops_start_up_without_its_password(string db)
    {
        var ex = Assert.Throws<ConfigurationException>(() => From(db, null));

        Assert.Contains("--db", ex.Message, StringComparison.Ordinal);
        Assert.Contains("postgresql://", ex.Message, StringComparison.Ordinal);   // says what to give instead
        Assert.DoesNotContain("hunter2", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public void An_s3_blob_store_names_its_bucket_prefix_and_endpoint_and_keeps_work_on_local_disk()
    {
        var deployment = From(null, "s3://assets/cloudslicer?endpoint=https://s3.example.net&region=eu-west-1");

        var s3 = Assert.IsType<BlobStoreLocation.S3>(deployment.BlobStore);
        Assert.Equal("assets", s3.Location.Bucket);
        Assert.Equal("cloudslicer/", s3.Location.Prefix);
        Assert.Equal(new Uri("https://s3.example.net"), s3.Location.Endpoint);
        Assert.StartsWith(Data, deployment.WorkDirectory, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("s3://")]
    [InlineData("s3://Bad_Bucket/x")]
    [InlineData("s3://assets/x?endpoint=ftp://s3.example.net")]
    [InlineData("s3://assets/x?bogus=1")]
    public void A_malformed_s3_blob_store_stops_start_up_with_one_line_naming_blobs(string blobs)
    {
        var ex = Assert.Throws<ConfigurationException>(() => From(null, blobs));
        Assert.StartsWith("--blobs ", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
    }

    private static Deployment From(string? db, string? blobs) =>
        Deployment.From(new ConfigurationBuilder().AddInMemoryCollection([new("Data", Data), new("Db", db), new("Blobs", blobs)]).Build());
}
