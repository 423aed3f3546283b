using CloudSlicer.Api.Hosting;
using Microsoft.Extensions.Options;

namespace CloudSlicer.Commands;

/// <summary>Turns a start-up failure caused by configuration into the one line the operator needs.</summary>
internal static class StartupError
{
    public static string? Describe(Exception ex) => ex switch
    {
        ConfigurationException c => c.Message,
        OptionsValidationException o => $"bad configuration: {string.Join("; ", o.Failures)}",
        InvalidOperationException { InnerException: OptionsValidationException o } => $"bad configuration: {string.Join("; ", o.Failures)}",
        IOException io when io.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase) => $"cannot listen: {io.Message} (choose another --urls)",
        InvalidOperationException { InnerException: IOException io } => $"cannot listen: {io.Message} (choose another --urls)",
        FormatException f => $"bad configuration: {f.Message}",
        UnauthorizedAccessException u => $"cannot use the data directory: {u.Message}",
        _ => null,
    };
}
