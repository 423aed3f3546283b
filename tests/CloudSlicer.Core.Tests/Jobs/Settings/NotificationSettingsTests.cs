using System.Text.Json.Nodes;
using CloudSlicer.Core.Jobs;
using CloudSlicer.Core.Jobs.Settings;

namespace CloudSlicer.Core.Tests.Jobs.Settings;

public class NotificationSettingsTests
{
    private static JsonObject Args(string json) => (JsonObject)JsonNode.Parse(json)!;

    [Fact]
    public void Without_notification_settings_no_url_is_set_and_the_defaults_are_Slicebots()
    {
        Assert.True(NotificationSettings.TryParse(Args("""{"desc": "x"}"""), out var settings, out _));
        Assert.Equal((null, null, null), (settings.StartUrl, settings.DoneUrl, settings.FailUrl));
        Assert.Equal(3, settings.Retries);
        Assert.Equal(TimeSpan.FromSeconds(10), settings.RetryWait);
    }

    [Fact]
    public void All_five_settings_are_read_from_strings_and_numbers()
    {
        Assert.True(NotificationSettings.TryParse(
            Args("""
                 {"start_url": "http://hooks.example/start", "done_url": "https://hooks.example/done?token=t",
                  "fail_url": " https://hooks.example:8443/fail ", "notify_retries": "0", "notify_retry_wait": 3600}
                 """),
            out var settings,
            out var error), error);
        Assert.Equal("http://hooks.example/start", settings.UrlFor(NotificationEvent.Start)!.ToString());
        Assert.Equal("https://hooks.example/done?token=t", settings.UrlFor(NotificationEvent.Done)!.ToString());
        Assert.Equal("https://hooks.example:8443/fail", settings.UrlFor(NotificationEvent.Fail)!.ToString());
        Assert.Equal(0, settings.Retries);
        Assert.Equal(TimeSpan.FromHours(1), settings.RetryWait);
    }

    [Fact]
    public void An_empty_url_means_not_set()
    {
        Assert.True(NotificationSettings.TryParse(Args("""{"done_url": ""}"""), out var settings, out _));
        Assert.Null(settings.DoneUrl);
    }

    [Theory]
    [InlineData("""{"done_url": "hooks.example/done"}""", "done_url must be an absolute http or https URL")]
    [InlineData("""{"start_url": "ftp://hooks.example/x"}""", "start_url must be an absolute http or https URL")]
    [InlineData("""{"fail_url": "file:///etc/passwd"}""", "fail_url must be an absolute http or https URL")]
    [InlineData("""{"done_url": 42}""", "done_url must be a string")]
    [InlineData("""{"done_url": ["https://a.example/"]}""", "done_url must be a string")]
    [InlineData("""{"notify_retries": "11"}""", "notify_retries must be a whole number from 0 to 10")]
    [InlineData("""{"notify_retries": -1}""", "notify_retries must be a whole number from 0 to 10")]
    [InlineData("""{"notify_retries": "2.5"}""", "notify_retries must be a whole number from 0 to 10")]
    [InlineData("""{"notify_retry_wait": "0"}""", "notify_retry_wait must be a whole number from 1 to 3600 seconds")]
    [InlineData("""{"notify_retry_wait": "3601"}""", "notify_retry_wait must be a whole number from 1 to 3600 seconds")]
    [InlineData("""{"notify_retry_wait": true}""", "notify_retry_wait must be a whole number from 1 to 3600 seconds")]
    public void A_value_that_cannot_be_used_is_refused_naming_the_setting(string json, string expected)
    {
        Assert.False(NotificationSettings.TryParse(Args(json), out _, out var error));
        Assert.StartsWith(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_url_with_a_password_is_refused_without_repeating_it()
    {
        Assert.False(NotificationSettings.TryParse(Args("""{"done_url": "https://user:hunter2@hooks.example/done"}"""), out _, out var error));
        Assert.Contains("done_url must not carry a user name or password", error, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_refused_url_is_not_echoed_in_the_message()
    {
        Assert.False(NotificationSettings.TryParse(Args("""{"done_url": "gopher://hooks.example/x?secret=s3cr3t"}"""), out _, out var error));
        Assert.DoesNotContain("s3cr3t", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Job_create_refuses_a_bad_notification_setting_and_keeps_a_good_one()
    {
        Assert.False(SlicerArgs.TryParse(Args("""{"done_url": "not a url"}"""), out _, out _, out var error));
        Assert.StartsWith("done_url must be", error, StringComparison.Ordinal);

        Assert.True(SlicerArgs.TryParse(Args("""{"done_url": "https://hooks.example/d", "notify_retries": 5}"""), out var args, out _, out error), error);
        Assert.Equal(new Uri("https://hooks.example/d"), args.Notifications.DoneUrl);
        Assert.Equal(5, args.Notifications.Retries);
    }
}
