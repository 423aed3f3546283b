using CloudSlicer.Core.Jobs;
using CloudSlicer.Slicer.Handlers;
using CloudSlicer.Slicer.Tests.Sources;

namespace CloudSlicer.Slicer.Tests.Handlers;

public sealed class SidecarArgsTests : IAsyncLifetime
{
    private LoopbackHttpServer _server = null!;

    public async Task InitializeAsync() => _server = await LoopbackHttpServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData("https://cdn.example.com/a/b.mp4", "https://cdn.example.com/a/b.mp4.cfg")]
    [InlineData("https://cdn.example.com/a/b.mp4?sig=x&e=1", "https://cdn.example.com/a/b.mp4.cfg?sig=x&e=1")]
    [InlineData("http://host:8080/v%20x.mov", "http://host:8080/v%20x.mov.cfg")]
    public void The_sidecar_suffix_goes_on_the_path_not_the_query(string source, string expected) =>
        Assert.Equal(expected, SidecarArgs.SidecarUrl(new Uri(source), ".cfg").AbsoluteUri);

    [Fact]
    public async Task Sidecar_settings_fill_what_the_job_did_not_set_and_the_jobs_own_args_win()
    {
        _server.ServeText("clip.mp4.cfg", "# Slicebot\ndescription = from the sidecar\ntrim = 1000,2000\nmax_slices = 3\nnot_a_setting = 1\n");
        using var fetcher = Fetchers.Private();
        var args = await SidecarArgs.MergeAsync(fetcher, _server.Url("/text/clip.mp4"), """{"desc":"mine"}""", default);
        Assert.Equal("mine", args.Description);
        Assert.Equal(new Trim(1000, 2000), args.Trim);
        Assert.Equal("""{"desc":"mine","trim":"1000,2000","max_slices":"3"}""", args.Normalized.ToJsonString());
    }

    [Fact]
    public async Task A_missing_sidecar_leaves_the_args_as_they_were()
    {
        using var fetcher = Fetchers.Private();
        var args = await SidecarArgs.MergeAsync(fetcher, _server.Url("/text/none.mp4"), """{"trim":"5000"}""", default);
        Assert.Equal(new Trim(5000, null), args.Trim);
    }

    [Fact]
    public async Task A_sidecar_value_that_cannot_be_used_fails_the_job_with_what_was_wrong()
    {
        _server.ServeText("bad.mp4.cfg", "trim = five seconds\n");
        using var fetcher = Fetchers.Private();
        var error = await Assert.ThrowsAsync<JobFailedException>(() => SidecarArgs.MergeAsync(fetcher, _server.Url("/text/bad.mp4"), "{}", default));
        Assert.Contains(".cfg", error.Message, StringComparison.Ordinal);
        Assert.Contains("trim", error.Message, StringComparison.Ordinal);
        Assert.True(error.Permanent, "the same sidecar fails the same way on every attempt");
    }
}
