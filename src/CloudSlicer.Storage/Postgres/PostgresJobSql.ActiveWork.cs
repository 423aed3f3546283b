namespace CloudSlicer.Storage.Postgres;

internal static partial class PostgresJobSql
{
    // As SqliteSql.FindActiveWork. args is JSON text CloudSlicer wrote itself (the API's or the slicer's
    // serializer), so the cast cannot fail; the CASE keeps it to create jobs of the owner when an external id is asked.
    public const string FindActiveWork = """
        SELECT * FROM jobs
         WHERE owner = @owner AND state IN ('waiting', 'assigned')
           AND ((@asset::text IS NOT NULL AND asset = @asset::text)
                OR (CASE WHEN @external::text IS NOT NULL AND kind = 'create'
                         THEN btrim(args::jsonb ->> 'external_id') IN (@external::text, '_replace:' || @external::text)
                         ELSE FALSE END))
         ORDER BY created, seq
         LIMIT 1;
        """;
}
