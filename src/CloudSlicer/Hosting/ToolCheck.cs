using Microsoft.Extensions.Configuration;

namespace CloudSlicer.Hosting;

/// <summary>Fails start-up with one clear line when a slicer would have no ffmpeg to run.</summary>
public static class ToolCheck
{
    public static void RequireMediaTools(IConfiguration configuration)
    {
        if (configuration.GetValue("Slicer:Count", 1) == 0)
        {
            return;
        }

        foreach (var (key, fallback) in new[] { ("Media:FfmpegPath", "ffmpeg"), ("Media:FfprobePath", "ffprobe") })
        {
            var tool = configuration[key] is { Length: > 0 } configured ? configured : fallback;
            if (!IsRunnable(tool))
            {
                throw new ConfigurationException($"{tool} was not found ({key}); install it (apt-get install ffmpeg) or start with --slicers 0");
            }
        }
    }

    private static bool IsRunnable(string tool) =>
        tool.Contains('/', StringComparison.Ordinal)
            ? File.Exists(tool)
            : (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
                .Any(dir => File.Exists(Path.Combine(dir, tool)));
}
