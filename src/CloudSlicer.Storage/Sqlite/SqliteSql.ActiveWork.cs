namespace CloudSlicer.Storage.Sqlite;

internal static partial class SqliteSql
{
    // A create job's external id is in its args as sent (perhaps with the "_replace:" prefix); a .cfg sidecar's
    // is there too once the slicer recorded the merged args.
    public const string FindActiveWork = """
        SELECT * FROM jobs
         WHERE owner = @owner AND state IN ('waiting', 'assigned')
           AND ((@asset IS NOT NULL AND asset = @asset)
                OR (@external IS NOT NULL AND kind = 'create'
                    AND trim(CASE WHEN json_valid(args) THEN json_extract(args, '$.external_id') END) IN (@external, '_replace:' || @external)))
         ORDER BY created, seq
         LIMIT 1;
        """;
}
