using CloudSlicer.Hosting;
using Microsoft.Extensions.Options;

namespace CloudSlicer.Commands;

/// <summary>Turns a start-up failure caused by configuration into the one line the operator needs.</summary>
internal static class StartupError
{
    public static string? Describe(Exception ex) => ex switch
    {
        ConfigurationException c => c.Message,
        OptionsValidationException o => Describe(o),
        InvalidOperationException { InnerException: OptionsValidationException o } => Describe(o),
        IOException io when io.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase) => $"cannot listen: {io.Message} (choose another --urls)",
        InvalidOperationException { InnerException: IOException io } => $"cannot listen: {io.Message} (choose another --urls)",
        FormatException f => $"bad configuration (check --urls and other addresses): {f.Message}",
        UnauthorizedAccessException u => $"cannot use the data directory: {u.Message}",
        // Npgsql's messages name the host, never the password.
        Npgsql.NpgsqlException n => $"cannot use the PostgreSQL job store: {n.Message} (check --db, and that the server is up)",
        _ => null,
    };

    // Options classes name their configuration section in a "Section" constant; say which one is wrong.
    private static string Describe(OptionsValidationException ex)
    {
        var section = ex.OptionsType.GetField("Section")?.GetValue(null) as string ?? ex.OptionsType.Name;
        return $"bad configuration in section '{section}': {string.Join("; ", ex.Failures)}";
    }
}
