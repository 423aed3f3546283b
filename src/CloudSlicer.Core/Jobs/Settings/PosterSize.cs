namespace CloudSlicer.Core.Jobs.Settings;

/// <summary>The <c>poster_size</c> setting: a bounding box; the poster fits inside it, aspect kept, never upscaled.</summary>
public sealed record PosterSize(int Width, int Height)
{
    public static bool TryParse(string text, out PosterSize size, out string error)
    {
        size = null!;
        error = "";
        if (!SettingText.TrySize(text, out var w, out var h))
        {
            error = $"poster_size: '{text}' is not WxH; give a bounding box in pixels such as 640x360 (each side 16 to 7680)";
            return false;
        }

        size = new PosterSize(w, h);
        return true;
    }
}
