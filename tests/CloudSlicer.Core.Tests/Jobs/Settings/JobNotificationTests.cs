using CloudSlicer.Core.Jobs;
using CloudSlicer.Core.Jobs.Settings;

namespace CloudSlicer.Core.Tests.Jobs.Settings;

public class JobNotificationTests
{
    private const string AllUrls = """
        {"start_url": "https://h.example/start", "done_url": "https://h.example/done?token=abc&status=forged&x=a+b",
         "fail_url": "https://h.example/fail", "notify_retries": "2", "notify_retry_wait": "7",
         "external_id": "ext-1", "desc": "My clip & more"}
        """;

    private static Job Job(JobState state, int attempts = 1, string args = AllUrls) => new()
    {
        Id = "0123456789abcdef0123456789abcdef",
        Owner = "o",
        Kind = JobKind.Create,
        State = state,
        Attempts = attempts,
        ArgsJson = args,
        SourceJson = """{"url": "https://media.example/dir/My%20Clip.mp4"}""",
        Asset = state == JobState.Done ? "fedcba9876543210fedcba9876543210" : null,
        LastError = state == JobState.Error ? "The source URL answered HTTP 404 Not Found" : "",
    };

    [Fact]
    public void Done_posts_to_the_url_without_its_query_and_moves_the_query_into_the_body()
    {
        var notification = JobNotification.For(Job(JobState.Done))!;

        Assert.Equal(NotificationEvent.Done, notification.Event);
        Assert.Equal("https://h.example/done", notification.Url.ToString());
        Assert.Equal(
            "token=abc&x=a+b&filename=My+Clip.mp4&asset_id=fedcba9876543210fedcba9876543210&external_id=ext-1"
            + "&description=My+clip+%26+more&status=ok&job_id=0123456789abcdef0123456789abcdef&event=done",
            notification.Body);
        Assert.Equal(3, notification.MaxAttempts);
        Assert.Equal(TimeSpan.FromSeconds(7), notification.RetryWait);
    }

    [Fact]
    public void Error_posts_status_error_with_the_jobs_last_error()
    {
        var notification = JobNotification.For(Job(JobState.Error, attempts: 2))!;

        Assert.Equal(NotificationEvent.Fail, notification.Event);
        Assert.Equal("https://h.example/fail", notification.Url.ToString());
        Assert.Contains("&status=error&error=The+source+URL+answered+HTTP+404+Not+Found&", notification.Body, StringComparison.Ordinal);
        Assert.Contains("asset_id=&", notification.Body, StringComparison.Ordinal);
    }

    [Fact]
    public void Only_the_first_claim_is_a_start()
    {
        Assert.Equal(NotificationEvent.Start, JobNotification.For(Job(JobState.Assigned, attempts: 1))!.Event);
        Assert.Null(JobNotification.For(Job(JobState.Assigned, attempts: 2)));
    }

    [Theory]
    [InlineData(JobState.Waiting)]
    [InlineData(JobState.Cancelled)]
    public void A_retried_attempt_or_a_cancel_notifies_no_one(JobState state) =>
        Assert.Null(JobNotification.For(Job(state, attempts: 1)));

    [Fact]
    public void A_job_without_the_url_for_its_event_notifies_no_one() =>
        Assert.Null(JobNotification.For(Job(JobState.Done, args: """{"fail_url": "https://h.example/fail"}""")));

    [Fact]
    public void A_replace_prefix_is_not_part_of_the_external_id()
    {
        var body = JobNotification.For(Job(JobState.Done, args: """{"done_url": "https://h.example/d", "external_id": "_replace:ext-9"}"""))!.Body;
        Assert.Contains("&external_id=ext-9&", body, StringComparison.Ordinal);
    }
}
