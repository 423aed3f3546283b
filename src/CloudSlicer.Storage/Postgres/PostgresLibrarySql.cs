namespace CloudSlicer.Storage.Postgres;

/// <summary>
/// The statements of <see cref="PostgresLibraryStore"/>: SqliteLibraryStore's on PostgreSQL. Lists of ids travel
/// as one text[] parameter; <c>unnest ... WITH ORDINALITY</c> keeps the order they were given in.
/// </summary>
internal static class PostgresLibrarySql
{
    // Visible to @caller: its own, or shared with it.
    private const string Visible = """
        (l.owner = @caller OR EXISTS (SELECT 1 FROM library_shares s WHERE s.library = l.id AND s.owner = @caller))
        """;

    // Creating (CreateAsync, JoinAsync) counts the owner's libraries first: one creator per owner at a time, so
    // two API nodes creating at once cannot both pass the limit. The key is the owner's, hashed into the
    // advisory lock space under a name of its own.
    public const string LockOwnerLibraries = "SELECT pg_advisory_xact_lock(hashtextextended('cloudslicer.libraries:' || @owner, 0))";

    public const string Insert = """
        INSERT INTO libraries (id, owner, "desc", created)
        SELECT @id, @owner, @desc, @now
         WHERE (SELECT COUNT(*) FROM libraries WHERE owner = @owner) < @max
        RETURNING created
        """;

    // A change holds its library's row until it commits: counts it checks against a limit stay true.
    public const string LockLibrary = "SELECT 1 FROM libraries WHERE id = @id FOR UPDATE";

    public const string SelectVisible = "SELECT l.id, l.owner, l.\"desc\", l.created FROM libraries l WHERE l.id = @id AND " + Visible;

    public const string ListVisible = "SELECT l.id, l.owner, l.\"desc\", l.created FROM libraries l WHERE " + Visible + " ORDER BY l.seq";

    public const string MembersOf = """
        SELECT la.library, la.asset FROM library_assets la JOIN assets a ON a.id = la.asset AND a.state = 'ready'
         WHERE la.library = ANY(@ids)
         ORDER BY la.seq
        """;

    public const string SharesOf = "SELECT library, owner FROM library_shares WHERE library = ANY(@ids) ORDER BY seq";

    public const string OwnLiveAssets = "SELECT id FROM assets WHERE owner = @owner AND state = 'ready' AND id = ANY(@ids)";

    public const string CountLiveMembers = """
        SELECT COUNT(*) FROM library_assets la JOIN assets a ON a.id = la.asset AND a.state = 'ready' WHERE la.library = @id
        """;

    public const string CountNewMembers = """
        SELECT COUNT(DISTINCT u.asset) FROM unnest(@ids::text[]) AS u (asset)
         WHERE u.asset NOT IN (SELECT asset FROM library_assets WHERE library = @id)
        """;

    // Rows are numbered in the order given, so seq keeps the order the assets were given in.
    public const string InsertMembers = """
        INSERT INTO library_assets (library, asset, added)
        SELECT @id, u.asset, @now FROM unnest(@ids::text[]) WITH ORDINALITY AS u (asset, ord) ORDER BY u.ord
        ON CONFLICT (library, asset) DO NOTHING
        """;

    public const string DeleteMembers = "DELETE FROM library_assets WHERE library = @id AND asset = ANY(@ids) RETURNING asset";

    public const string OwnerExists = "SELECT EXISTS (SELECT 1 FROM owners WHERE id = @owner)";

    public const string CountShares = "SELECT COUNT(*) FROM library_shares WHERE library = @id AND owner <> @owner";

    public const string InsertShare = """
        INSERT INTO library_shares (library, owner, created) VALUES (@id, @owner, @now) ON CONFLICT (library, owner) DO NOTHING
        """;

    public const string DeleteShare = "DELETE FROM library_shares WHERE library = @id AND owner = @owner";

    public const string Delete = "DELETE FROM libraries WHERE id = @id AND owner = @caller";

    public const string CanRead = """
        SELECT EXISTS (
            SELECT 1 FROM assets a
             WHERE a.id = @asset AND a.state = 'ready'
               AND (a.owner = @caller
                    OR EXISTS (SELECT 1 FROM library_assets la JOIN libraries l ON l.id = la.library
                                WHERE la.asset = a.id AND
        """ + Visible + ")))";

    public const string LibrariesOfAssets = """
        SELECT la.asset, la.library FROM library_assets la JOIN libraries l ON l.id = la.library
          JOIN assets a ON a.id = la.asset AND a.state = 'ready'
         WHERE l.owner = @owner AND la.asset = ANY(@ids)
         ORDER BY l.seq
        """;

    public const string OwnLibrariesNamed = "SELECT id FROM libraries WHERE owner = @owner AND (id = @name OR \"desc\" = @name) ORDER BY seq";
}
