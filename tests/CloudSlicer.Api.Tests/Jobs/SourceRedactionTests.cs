using CloudSlicer.Api.Jobs;

namespace CloudSlicer.Api.Tests.Jobs;

public sealed class SourceRedactionTests
{
    [Theory]
    [InlineData("https://media.example.com/v.mp4", "https://media.example.com/v.mp4")]
    [InlineData("https://media.example.com/a%20b/v.mp4?quality=hd#t=5", "https://media.example.com/a%20b/v.mp4?quality=hd#t=5")]
    [InlineData("https://user:pass@media.example.com/v.mp4", "https://user@media.example.com/v.mp4")]
    [InlineData("https://user:@media.example.com/v.mp4", "https://user@media.example.com/v.mp4")]
    [InlineData("https://:pass@media.example.com:8443/v.mp4", "https://media.example.com:8443/v.mp4")]
    [InlineData("https://user@media.example.com/v.mp4", "https://user@media.example.com/v.mp4")]
    [InlineData(
        "https://b.s3.amazonaws.com/k.mp4?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIA%2F20240101&X-Amz-Date=20240101T000000Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=host&X-Amz-Signature=f00d",
        "https://b.s3.amazonaws.com/k.mp4?X-Amz-Algorithm=REDACTED&X-Amz-Credential=REDACTED&X-Amz-Date=REDACTED&X-Amz-Expires=REDACTED&X-Amz-SignedHeaders=REDACTED&X-Amz-Signature=REDACTED")]
    [InlineData(
        "https://acct.blob.core.windows.net/c/v.mp4?sv=2022-11-02&se=2030-01-01&sp=r&sig=abc%3D",
        "https://acct.blob.core.windows.net/c/v.mp4?sv=2022-11-02&se=2030-01-01&sp=r&sig=REDACTED")]
    [InlineData(
        "https://cdn.example/v.mp4?Expires=1&Signature=abc&Key-Pair-Id=K1&x-goog-signature=d&access_token=t&api_key=k&apikey=k2&Password=p&secret=s&key=k3&credential=c&TOKEN=T",
        "https://cdn.example/v.mp4?Expires=1&Signature=REDACTED&Key-Pair-Id=K1&x-goog-signature=REDACTED&access_token=REDACTED&api_key=REDACTED&apikey=REDACTED&Password=REDACTED&secret=REDACTED&key=REDACTED&credential=REDACTED&TOKEN=REDACTED")]
    [InlineData("https://cdn.example/v.mp4?to%6Ben=t&X%2DAmz%2DSignature=s&a=b", "https://cdn.example/v.mp4?token=REDACTED&X-Amz-Signature=REDACTED&a=b")]
    [InlineData("https://cdn.example/v.mp4?token&sig=&monkey=1", "https://cdn.example/v.mp4?token&sig=REDACTED&monkey=1")]
    [InlineData("https://u:p@cdn.example/v.mp4?keep=1&token=t#frag", "https://u@cdn.example/v.mp4?keep=1&token=REDACTED#frag")]
    public void Echoes_the_url_without_its_password_or_credential_values(string sent, string shown)
    {
        Assert.Equal(shown, SourceRedaction.Redact(new Uri(sent)));
    }

    [Theory]
    [InlineData("X-Amz-Security-Token", true)]
    [InlineData("x-amz-anything", true)]
    [InlineData("SIG", true)]
    [InlineData("Signature", true)]
    [InlineData("id_token", true)]
    [InlineData("client_secret", true)]
    [InlineData("passwd", true)]
    [InlineData("Credential", true)]
    [InlineData("accessKey", true)]
    [InlineData("private-key", true)]
    [InlineData("signed", false)]
    [InlineData("keyframes", false)]
    [InlineData("monkey", false)]
    [InlineData("quality", false)]
    [InlineData("Key-Pair-Id", false)]
    public void Names_credential_like_parameters_case_insensitively(string name, bool credential)
    {
        Assert.Equal(credential, SourceRedaction.IsCredential(name));
    }
}
