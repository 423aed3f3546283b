namespace CloudSlicer.Core.Assets;

/// <summary>Chooses an asset's rays from the source and the configured ladder table (pure; no I/O).</summary>
public static class LadderPlanner
{
    /// <summary>The default table; deployments override it with the <c>Slicer:Ladder</c> configuration section.</summary>
    public static readonly IReadOnlyList<RayRung> DefaultTable =
    [
        new(240, 400),
        new(360, 800),
        new(480, 1400),
        new(720, 2800),
        new(1080, 5000, 60),
    ];

    /// <summary>
    /// Every rung no taller than the source, lettered from <c>a</c>; never above the source's size or
    /// frame rate. A source shorter than the lowest rung gets one ray at its own size.
    /// </summary>
    public static IReadOnlyList<Ray> Plan(SourceInfo source, IReadOnlyList<RayRung> table)
    {
        if (!source.HasVideo)
        {
            throw new ArgumentException("the source has no video stream", nameof(source));
        }

        var rungs = table.OrderBy(r => r.Height).Where(r => r.Height <= source.Height).ToList();
        if (rungs.Count == 0)
        {
            var lowest = table.OrderBy(r => r.Height).First();
            rungs.Add(lowest with { Height = source.Height });
        }

        return rungs
            .Select((rung, i) =>
            {
                var height = Even(rung.Height);
                var width = Even((int)Math.Round(source.Width * (double)height / source.Height));
                var fps = source.FrameRate > 0 ? Math.Min(source.FrameRate, rung.MaxFrameRate) : rung.MaxFrameRate;
                return new Ray(((char)('a' + i)).ToString(), width, height, fps, rung.VideoKbps);
            })
            .ToList();
    }

    private static int Even(int n) => Math.Max(2, n - (n % 2));
}
