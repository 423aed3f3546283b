using System.Text.Json.Nodes;
using CloudSlicer.Core.Assets;
using CloudSlicer.Core.Jobs;

namespace CloudSlicer.Core.Tests.Jobs;

/// <summary>The settings that go onto the asset record, read at create time (and from a .cfg sidecar, which reuses TryParse).</summary>
public class SlicerArgsAssetSettingsTests
{
    private static SlicerArgs Parse(string json)
    {
        Assert.True(SlicerArgs.TryParse((JsonObject)JsonNode.Parse(json)!, out var args, out var illegal, out var error), error);
        Assert.Empty(illegal);
        return args;
    }

    private static string Refused(string json)
    {
        Assert.False(SlicerArgs.TryParse((JsonObject)JsonNode.Parse(json)!, out _, out _, out var error));
        return error;
    }

    [Fact]
    public void External_id_meta_meta_int_autoexpire_and_skip_drm_are_read_onto_the_asset_settings()
    {
        var args = Parse("""
            {"external_id": "show-42", "meta": "genre=drama, crime,,,rating=PG", "meta_int": "season=3,,,episode=7",
             "autoexpire": "48", "skip_drm": 1, "desc": "Pilot"}
            """);

        Assert.Equal("show-42", args.Asset.ExternalId);
        Assert.False(args.Asset.AutoReplace);
        Assert.Equal(
            new Dictionary<string, AssetMetaValue>
            {
                ["genre"] = AssetMetaValue.Of("drama, crime"), ["rating"] = AssetMetaValue.Of("PG"),
                ["season"] = AssetMetaValue.Of(3), ["episode"] = AssetMetaValue.Of(7),
            },
            args.Asset.Meta);
        Assert.Equal(48, args.Asset.AutoexpireHours);
        Assert.True(args.Asset.SkipDrm);
        Assert.Equal("Pilot", args.Description);
        Assert.Equal("show-42", args.Normalized["external_id"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""{"external_id": "_replace:show-42"}""")]
    [InlineData("""{"external_id": "show-42", "auto_replace": 1}""")]
    [InlineData("""{"auto_replace": "1", "external_id": "show-42"}""")]
    public void Auto_replace_or_the_replace_prefix_asks_for_replacement_and_the_id_loses_the_prefix(string json)
    {
        var args = Parse(json);
        Assert.Equal("show-42", args.Asset.ExternalId);
        Assert.True(args.Asset.AutoReplace);
    }

    [Fact]
    public void Without_asset_settings_nothing_is_set()
    {
        var args = Parse("{}");
        Assert.Equal((null, false, 0, false), (args.Asset.ExternalId, args.Asset.AutoReplace, args.Asset.AutoexpireHours, args.Asset.SkipDrm));
        Assert.Empty(args.Asset.Meta);
    }

    [Theory]
    [InlineData("""{"external_id": ""}""", "external_id")]
    [InlineData("""{"external_id": "_replace:"}""", "external_id")]
    [InlineData("""{"external_id": {"a": 1}}""", "external_id")]
    [InlineData("""{"external_id": "a\nb"}""", "external_id")]
    [InlineData("""{"auto_replace": "yes"}""", "auto_replace")]
    [InlineData("""{"skip_drm": 2}""", "skip_drm")]
    [InlineData("""{"meta": "novalue"}""", "meta")]
    [InlineData("""{"meta": "=value"}""", "meta")]
    [InlineData("""{"meta": ["a=b"]}""", "meta")]
    [InlineData("""{"meta_int": "season=three"}""", "meta_int")]
    [InlineData("""{"meta_int": "season=1.5"}""", "meta_int")]
    [InlineData("""{"autoexpire": "-1"}""", "autoexpire")]
    [InlineData("""{"autoexpire": "soon"}""", "autoexpire")]
    [InlineData("""{"autoexpire": 999999999}""", "autoexpire")]
    public void Unusable_asset_settings_are_refused_naming_the_setting(string json, string setting)
    {
        Assert.StartsWith(setting, Refused(json), StringComparison.Ordinal);
    }

    [Fact]
    public void An_external_id_longer_than_the_limit_is_refused()
    {
        var error = Refused($$"""{"external_id": "{{new string('x', AssetSettings.MaxExternalIdLength + 1)}}"}""");
        Assert.Contains("255", error, StringComparison.Ordinal);
        Parse($$"""{"external_id": "{{new string('x', AssetSettings.MaxExternalIdLength)}}"}""");
    }

    [Theory]
    [InlineData("\"Promos, 0123456789abcdef0123456789abcdef ,,Promos\"")]
    [InlineData("[\"Promos\", \"0123456789abcdef0123456789abcdef\", \" \"]")]
    public void Libraries_are_read_as_a_comma_separated_string_or_a_list_of_names_or_ids(string value)
    {
        var args = Parse($$"""{"libraries": {{value}}}""");
        Assert.Equal(["Promos", "0123456789abcdef0123456789abcdef"], args.Asset.Libraries);
    }

    [Theory]
    [InlineData("{\"a\": 1}")]
    [InlineData("[[\"lib\"]]")]
    [InlineData("\"bad\\u0007name\"")]
    public void Libraries_of_the_wrong_shape_are_refused_at_create_time(string value)
    {
        var error = Refused($$"""{"libraries": {{value}}}""");
        Assert.Contains("libraries must be a comma-separated string or a list", error, StringComparison.Ordinal);
    }

    [Fact]
    public void More_libraries_than_the_limit_are_refused()
    {
        var names = string.Join(',', Enumerable.Range(0, AssetSettings.MaxLibraries + 1).Select(i => $"lib{i}"));
        Assert.Contains("at most 20", Refused($$"""{"libraries": "{{names}}"}"""), StringComparison.Ordinal);
    }
}
