using Microsoft.Extensions.Options;

namespace CloudSlicer.Slicer.Notifications;

/// <summary>How Slicebot notifications are sent (configuration section "Notifications").</summary>
public sealed class NotificationOptions
{
    public const string Section = "Notifications";

    /// <summary>How often an idle sender looks for due notifications; also bounds how late a retry goes out.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Connecting, sending and the receiver's answer (its headers) must finish within this, or the try failed.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a claimed notification is held. A sender that dies mid-send leaves it held this long; then
    /// another sends it again (a clean stop hands it back at once). Longer than <see cref="Timeout"/>, so a slow answer is not sent twice.
    /// </summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Notifications sent at once, so one slow receiver does not hold up the others.</summary>
    public int Senders { get; set; } = 2;

    /// <summary>How long delivered and failed notifications are kept (for inspection) before they are erased.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromHours(72);
}

internal sealed class NotificationOptionsValidator : IValidateOptions<NotificationOptions>
{
    public ValidateOptionsResult Validate(string? name, NotificationOptions options)
    {
        var failures = new List<string>();
        if (options.PollInterval <= TimeSpan.Zero || options.PollInterval > TimeSpan.FromMinutes(10))
        {
            failures.Add("Notifications:PollInterval must be positive and at most 10 minutes (for example 00:00:01)");
        }

        if (options.Timeout <= TimeSpan.Zero || options.Timeout > TimeSpan.FromHours(1))
        {
            failures.Add("Notifications:Timeout must be positive and at most an hour (for example 00:00:30)");
        }

        if (options.LeaseDuration <= options.Timeout || options.LeaseDuration > TimeSpan.FromDays(1))
        {
            failures.Add($"Notifications:LeaseDuration ({options.LeaseDuration}) must be longer than Notifications:Timeout ({options.Timeout}) and at most a day");
        }

        if (options.Senders is < 1 or > 64)
        {
            failures.Add("Notifications:Senders must be between 1 and 64");
        }

        if (options.Retention <= TimeSpan.Zero)
        {
            failures.Add("Notifications:Retention must be positive (for example 3.00:00:00)");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
