using CloudSlicer.Slicer.Notifications;

namespace CloudSlicer.Slicer.Tests.Notifications;

public class NotificationSignatureTests
{
    // The vector of docs/notifications.md, computed there with Python's hmac module.
    private const string Body = "filename=clip.mp4&asset_id=&external_id=cust-42&description=Launch+video&status=ok&job_id=0123456789abcdef0123456789abcdef&event=start";

    [Fact]
    public void The_header_carries_the_time_and_one_v1_per_key_as_the_documented_vector_says() =>
        Assert.Equal(
            "t=1700000000,v1=27f0ee0d033ba0de23d2cf3879366a5cec4320ed354b2bdb7bd10f12caf5bf41,v1=a431481390f47bcc5a6a4ede8a8350f5f283c42c4aeb355032b43a904ce1b06f",
            NotificationSignature.For(1700000000, Body, ["1234567890abcdefghijklmnopqrstuvwxyz1234", "second-key"]));

    [Fact]
    public void Without_keys_the_header_has_only_the_time() =>
        Assert.Equal("t=1700000000", NotificationSignature.For(1700000000, Body, []));
}
