using CloudSlicer.Core.Assets;
using CloudSlicer.Core.Jobs.Specs;
using CloudSlicer.Slicer.Handlers.Tracks;

namespace CloudSlicer.Slicer.Tests.Handlers;

public class AudioTrackPlanTests
{
    private static readonly Rendition OwnAudio = new(Rendition.Audio, "audio", "en", "audio/index.m3u8", 128, "English", "aac");

    private static AssetManifest Asset(params Rendition[] renditions) => new()
    {
        Id = new string('a', 32),
        Owner = new string('b', 32),
        Renditions = renditions,
    };

    private static Rendition Track(string name, string codec = "aac") => new(Rendition.Audio, name, "es", $"{name}/index.m3u8", 128, "Spanish", codec);

    private static AudioTrackSource Source(string desc = "", string lang = "es", bool dolby = false) => new("https://example.com/t.m4a", desc, lang, dolby);

    [Fact]
    public void The_first_track_is_audio1_labelled_by_its_desc_or_else_its_language()
    {
        var planned = AudioTrackPlan.Plan(Asset(OwnAudio), [Source("Spanish"), Source(lang: "fr")], 128);

        Assert.Equal(
            [("audio1", "Spanish", "es", "audio1/index.m3u8"), ("audio2", "fr", "fr", "audio2/index.m3u8")],
            planned.Select(t => (t.Aac.Name, t.Aac.Desc, t.Aac.Lang, t.Aac.Path)));
        Assert.All(planned, t => Assert.Null(t.Eac3));
    }

    [Fact]
    public void Numbers_continue_after_the_highest_name_the_asset_has_used_and_a_dolby_track_pairs_ec3_with_it()
    {
        // audio1 is gone (say a later feature removed it): its name is still not given to another track.
        var planned = AudioTrackPlan.Plan(Asset(OwnAudio, Track("audio2"), Track("ec3_2", "eac3")), [Source("Surround", dolby: true)], 128);

        var track = Assert.Single(planned);
        Assert.Equal("audio3", track.Aac.Name);
        Assert.Equal(("ec3_3", "eac3", "Surround", "ec3_3/index.m3u8"), (track.Eac3!.Name, track.Eac3.Codec, track.Eac3.Desc, track.Eac3.Path));
        Assert.Equal(["aac:2", "eac3:6"], track.Outputs(128).Select(o => $"{o.Codec}:{o.Channels}"));
    }

    [Fact]
    public void The_limit_is_checked_against_the_current_record_counting_a_dolby_pair_as_one_track()
    {
        var full = Enumerable.Range(1, AudioTrackSpec.MaxTracks - 1).Select(n => Track($"audio{n}")).Append(Track("ec3_1", "eac3")).Prepend(OwnAudio).ToArray();

        Assert.Single(AudioTrackPlan.Plan(Asset(full), [Source()], 128));
        var refused = Assert.Throws<JobFailedException>(() => AudioTrackPlan.Plan(Asset(full), [Source(), Source()], 128));
        Assert.True(refused.Permanent);
        Assert.Equal("The asset has 31 alternate audio tracks; adding 2 would pass the limit of 32 per asset", refused.Message);
    }
}
