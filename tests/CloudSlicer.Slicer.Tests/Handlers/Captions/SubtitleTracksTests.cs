using CloudSlicer.Core.Assets;
using CloudSlicer.Core.Jobs.Specs;
using CloudSlicer.Media.Captions;
using CloudSlicer.Slicer.Handlers.Captions;

namespace CloudSlicer.Slicer.Tests.Handlers.Captions;

/// <summary>How a caption job numbers, adds and replaces an asset's subtitle renditions.</summary>
public class SubtitleTracksTests
{
    private static readonly Rendition Audio = new(Rendition.Audio, "audio", "en", "audio/index.m3u8", 128, "English", "aac");

    private static Rendition Sub(string name, string lang = "en", string desc = "") => new(Rendition.Subtitles, name, lang, $"{name}/index.m3u8", Desc: desc);

    private static VttTrackSource Source(string lang = "", string desc = "") => new(null, "<tt/>", lang, desc, null, null, false, 0);

    private static AssetManifest Asset(params Rendition[] renditions) => new() { Id = "a", Owner = "o", Renditions = [Audio, .. renditions] };

    [Fact]
    public void A_new_track_takes_a_name_no_version_still_stored_uses()
    {
        var asset = Asset(Sub("sub1")) with { Superseded = ["v2/sub4/", "v2/master.m3u8"], Locations = new Dictionary<string, string> { ["sub1"] = "v2-0a1b2c3d", ["audio"] = "v1" } };

        var tracks = new SubtitleTracks(asset);

        Assert.Equal("sub5", tracks.NextName());
        Assert.Equal("sub6", tracks.NextName());
    }

    [Fact]
    public void The_first_track_of_an_asset_without_captions_is_sub0()
    {
        Assert.Equal("sub0", new SubtitleTracks(Asset()).NextName());
    }

    [Fact]
    public void Replacing_a_track_keeps_its_place_language_and_label_unless_new_ones_are_given()
    {
        var tracks = new SubtitleTracks(Asset(Sub("sub0", "fr", "Français"), Sub("sub1", "es")));

        tracks.Replace(0, Sub("sub2", lang: "en"), Source());

        Assert.Equal([Audio, Sub("sub2", "fr", "Français"), Sub("sub1", "es")], tracks.Renditions);

        tracks.Replace(1, Sub("sub3"), Source("de", "Deutsch"));

        Assert.Equal(Sub("sub3", "de", "Deutsch"), tracks.Renditions[2]);
    }

    [Fact]
    public void A_track_number_the_asset_does_not_have_fails_permanently()
    {
        var tracks = new SubtitleTracks(Asset(Sub("sub0")));

        var ex = Assert.Throws<JobFailedException>(() => tracks.Replace(1, Sub("sub1"), Source()));

        Assert.True(ex.Permanent);
        Assert.Equal("The asset has 1 caption track(s) and no track 1 to replace (numbered from 0)", ex.Message);
    }

    [Fact]
    public void The_64th_track_fails_permanently_even_when_the_endpoint_counted_fewer()
    {
        var tracks = new SubtitleTracks(Asset([.. Enumerable.Range(0, VttTrackSpec.MaxTracks).Select(i => Sub($"sub{i}"))]));

        var ex = Assert.Throws<JobFailedException>(() => tracks.Add(Sub("sub63")));

        Assert.True(ex.Permanent);
        Assert.Contains("already has 63 caption tracks", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(5.0, 0)]
    [InlineData(3600.0 * 10 + 2.5, 10)]
    [InlineData(3600.0 + 59 * 60, 1)]
    public void Absolute_times_count_from_the_hour_of_the_first_cue(double firstCueSeconds, int hours)
    {
        var cues = new[]
        {
            new Cue(TimeSpan.FromSeconds(firstCueSeconds + 30), TimeSpan.FromSeconds(firstCueSeconds + 31), ["later"]),
            new Cue(TimeSpan.FromSeconds(firstCueSeconds), TimeSpan.FromSeconds(firstCueSeconds + 1), ["first"]),
        };

        Assert.Equal(TimeSpan.FromHours(hours), CaptionTimeline.Origin(cues));
    }
}
