using System.CommandLine;

namespace CloudSlicer.Commands;

/// <summary>
/// The flags <c>serve</c> and <c>slicer</c> share: where the state lives and which sources may be fetched. Both
/// commands must name the same stores to work together, so they are defined once.
/// </summary>
internal sealed class StoreFlags
{
    public Option<string> Data { get; } = new("--data") { Description = "Data directory for the one-box stores (default ./data)" };

    public Option<string> Db { get; } = new("--db")
    {
        Description = "Job store: a SQLite file path (default <data>/cloudslicer.db) or a PostgreSQL connection (postgresql://user:password@host/db or Host=...;...)",
    };

    public Option<string> Blobs { get; } = new("--blobs") { Description = "Blob store: a directory (default <data>/blobs)" };

    public Option<bool> AllowPrivateSources { get; } = new("--allow-private-sources")
    {
        Description = "Allow sources on loopback and private networks (testing, trusted LANs)",
    };

    public IEnumerable<Option> All => [Data, Db, Blobs, AllowPrivateSources];

    /// <summary>The configuration keys these flags set, for the flags that were given.</summary>
    public void AddTo(Dictionary<string, string?> overrides, ParseResult parse)
    {
        Set(overrides, "Data", parse.GetValue(Data));
        Set(overrides, "Db", parse.GetValue(Db));
        Set(overrides, "Blobs", parse.GetValue(Blobs));
        if (parse.GetValue(AllowPrivateSources))
        {
            overrides["Sources:AllowPrivateSources"] = "true";
        }
    }

    public static void Set(Dictionary<string, string?> overrides, string key, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            overrides[key] = value;
        }
    }
}
