using CloudSlicer.Slicer.Sources;

namespace CloudSlicer.Slicer.Tests.Sources;

/// <summary>
/// Where a redirect leads: relative locations resolve against the hop, and https never steps down to http
/// (the end-to-end refusal through an https server is in the security suite, which can trust a test certificate).
/// </summary>
public sealed class RedirectDowngradeTests
{
    [Fact]
    public void An_https_source_redirecting_to_http_is_refused_permanently()
    {
        var error = Assert.Throws<SourceException>(() =>
            GuardedHttpClient.NextHop(new Uri("https://cdn.example/a/clip.mp4?sig=secret"), new Uri("http://mirror.example/clip.mp4?token=secret")));

        Assert.Equal(
            "Refused to follow the redirect from https://cdn.example/a/clip.mp4 to http://mirror.example/clip.mp4: "
            + "an https source must not be downgraded to plain http; ask the server to redirect to https, or give a URL that does not redirect",
            error.Message);
        Assert.True(error.Permanent);
    }

    [Theory]
    [InlineData("https://cdn.example/a/clip.mp4", "/b/clip.mp4", "https://cdn.example/b/clip.mp4")]
    [InlineData("https://cdn.example/a/clip.mp4", "https://other.example/clip.mp4", "https://other.example/clip.mp4")]
    [InlineData("http://cdn.example/a/clip.mp4", "https://cdn.example/clip.mp4", "https://cdn.example/clip.mp4")]
    [InlineData("http://cdn.example/a/clip.mp4", "http://other.example/clip.mp4", "http://other.example/clip.mp4")]
    public void Other_redirects_are_followed(string from, string location, string expected)
    {
        Assert.Equal(new Uri(expected), GuardedHttpClient.NextHop(new Uri(from), new Uri(location, UriKind.RelativeOrAbsolute)));
    }

    [Fact]
    public void A_redirect_loop_is_permanent()
    {
        Assert.True(SourceErrors.TooManyRedirects(5).Permanent);
    }
}
