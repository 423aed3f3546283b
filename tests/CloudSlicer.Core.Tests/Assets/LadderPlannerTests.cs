using CloudSlicer.Core.Assets;

namespace CloudSlicer.Core.Tests.Assets;

public class LadderPlannerTests
{
    private static SourceInfo Source(int width, int height, double fps) =>
        new("mov,mp4,m4a,3gp,3g2,mj2", TimeSpan.FromSeconds(60), width, height, fps, HasAudio: true);

    [Fact]
    public void A_1080p30_source_gets_every_rung_lettered_from_a()
    {
        var rays = LadderPlanner.Plan(Source(1920, 1080, 30), LadderPlanner.DefaultTable);
        Assert.Equal(["a", "b", "c", "d", "e"], rays.Select(r => r.Name));
        Assert.Equal([240, 360, 480, 720, 1080], rays.Select(r => r.Height));
        Assert.Equal([426, 640, 852, 1280, 1920], rays.Select(r => r.Width));
        Assert.All(rays, r => Assert.Equal(30, r.FrameRate));
    }

    [Fact]
    public void Rays_never_exceed_the_source_size()
    {
        var rays = LadderPlanner.Plan(Source(1280, 720, 25), LadderPlanner.DefaultTable);
        Assert.Equal([240, 360, 480, 720], rays.Select(r => r.Height));
        Assert.All(rays, r => Assert.True(r.Width <= 1280 && r.Height <= 720));
    }

    [Fact]
    public void Rays_never_exceed_the_source_frame_rate_and_rungs_cap_it()
    {
        var slow = LadderPlanner.Plan(Source(1920, 1080, 24), LadderPlanner.DefaultTable);
        Assert.All(slow, r => Assert.Equal(24, r.FrameRate));

        var fast = LadderPlanner.Plan(Source(1920, 1080, 59.94), LadderPlanner.DefaultTable);
        Assert.Equal(30, fast[0].FrameRate);
        Assert.Equal(59.94, fast[^1].FrameRate);
    }

    [Fact]
    public void A_source_below_the_lowest_rung_gets_one_ray_at_its_own_even_size()
    {
        var rays = LadderPlanner.Plan(Source(161, 121, 30), LadderPlanner.DefaultTable);
        var ray = Assert.Single(rays);
        Assert.Equal(("a", 160, 120), (ray.Name, ray.Width, ray.Height));
    }

    [Fact]
    public void Portrait_sources_keep_their_aspect_ratio()
    {
        var rays = LadderPlanner.Plan(Source(1080, 1920, 30), LadderPlanner.DefaultTable);
        Assert.All(rays, r => Assert.InRange(r.Width / (double)r.Height, 0.55, 0.58));
        Assert.All(rays, r => Assert.Equal(0, r.Width % 2));
    }

    [Fact]
    public void A_configured_table_is_used_in_height_order()
    {
        RayRung[] table = [new(720, 3000), new(180, 300)];
        var rays = LadderPlanner.Plan(Source(1280, 720, 30), table);
        Assert.Equal([("a", 180, 300), ("b", 720, 3000)], rays.Select(r => (r.Name, r.Height, r.VideoKbps)));
    }

    [Fact]
    public void A_source_without_video_cannot_be_planned() =>
        Assert.Throws<ArgumentException>(() => LadderPlanner.Plan(Source(0, 0, 0), LadderPlanner.DefaultTable));
}
