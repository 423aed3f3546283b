using System.Globalization;

namespace CloudSlicer.Core.Jobs.Settings;

/// <summary>Where a source audio track goes in the stereo rendition.</summary>
public enum MixChannel
{
    Left,
    Right,
    Both,
}

/// <summary>One entry of the <c>mix_atracks</c> setting: source audio track <see cref="Track"/> (0 = first) into <see cref="Channel"/>.</summary>
public sealed record AudioMix(int Track, MixChannel Channel)
{
    /// <summary>"0=left,1=right" (also L, R, both); each track at most once.</summary>
    public static bool TryParse(string text, out IReadOnlyList<AudioMix> mix, out string error)
    {
        mix = [];
        error = "";
        var list = new List<AudioMix>();
        foreach (var entry in SettingText.Entries(text, ","))
        {
            var parts = entry.Split('=', StringSplitOptions.TrimEntries);
            MixChannel? channel = parts.Length == 2
                ? parts[1].ToLowerInvariant() switch { "l" or "left" => MixChannel.Left, "r" or "right" => MixChannel.Right, "both" or "lr" => MixChannel.Both, _ => null }
                : null;
            if (channel is null || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var track) || track > 31)
            {
                error = $"mix_atracks: '{entry}' is not track=channel; give source audio tracks (0 = first) and left, right or both, such as 0=left,1=right";
                return false;
            }

            if (list.Any(m => m.Track == track))
            {
                error = $"mix_atracks: track {parts[0]} is named twice; give each track once";
                return false;
            }

            list.Add(new AudioMix(track, channel.Value));
        }

        if (list.Count == 0)
        {
            error = "mix_atracks: give at least one track=channel, such as 0=left,1=right";
            return false;
        }

        mix = list;
        return true;
    }
}
