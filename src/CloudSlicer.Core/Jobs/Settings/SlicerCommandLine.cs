using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace CloudSlicer.Core.Jobs.Settings;

/// <summary>
/// The <c>slicer_args</c> setting: the Slicer's command-line options, turned into the settings they stand
/// for. Settings sent by name win over the same setting given here. An option CloudSlicer cannot honour
/// is refused at create time, never dropped.
/// </summary>
public static class SlicerCommandLine
{
    /// <summary>Options that are the setting of the same name, with one value.</summary>
    private static readonly HashSet<string> SameName = new(StringComparer.Ordinal)
    {
        "poster", "poster_file", "poster_size", "thumbnails", "fade", "bug", "force_aspect_ratio", "mix_atracks",
        "timedmeta", "max_slices", "autoexpire", "skip_drm",
    };

    /// <summary>Options the Slicer has and CloudSlicer does not do (yet), with what to do instead.</summary>
    private static readonly Dictionary<string, string> Unsupported = new(StringComparer.Ordinal)
    {
        ["-audiodesc"] = "audio description tracks come with /jobs/add_track_audio",
        ["-lang"] = "the audio rendition's language cannot be set yet",
        ["-atrack"] = "the first audio track is always used; mix tracks with mix_atracks",
        ["-gain"] = "audio gain is not applied yet",
        ["-volnorm"] = "volume normalisation is not applied yet",
    };

    /// <summary>
    /// When <paramref name="args"/> has <c>slicer_args</c>, a copy with the settings it stands for added
    /// under the explicit ones; otherwise <paramref name="args"/> itself.
    /// </summary>
    public static bool TryExpand(JsonObject? args, out JsonObject? expanded, out string error)
    {
        expanded = args;
        error = "";
        if (args?["slicer_args"] is not { } node)
        {
            return true;
        }

        if (!SettingText.TryScalar(node, out var text) || !TryParse(text, out var settings, out error))
        {
            error = error.Length > 0 ? error : "slicer_args must be a string of Slicer options such as \"-poster 5000 -break 30-45\"";
            return false;
        }

        var merged = (JsonObject)args.DeepClone();
        foreach (var (key, value) in settings)
        {
            if (!merged.ContainsKey(key))
            {
                merged[key] = value?.DeepClone();
            }
        }

        expanded = merged;
        return true;
    }

    /// <summary>"-poster 5000 -d \"My clip\" -break 30-45 -meta genre=news" → the settings.</summary>
    public static bool TryParse(string commandLine, out JsonObject settings, out string error)
    {
        settings = [];
        error = "";
        var tokens = Tokenize(commandLine);
        if (tokens is null)
        {
            error = "slicer_args: a quote is not closed";
            return false;
        }

        var meta = new List<string>();
        var breaks = new List<string>();
        long? trimIn = null, trimOut = null;
        for (var i = 0; i < tokens.Count; i++)
        {
            var option = tokens[i];
            string Value() => i + 1 < tokens.Count ? tokens[++i] : throw new FormatException(option);
            try
            {
                switch (option)
                {
                    case "-stereodownmix":
                        continue; // the audio rendition is always a stereo downmix
                    case "-d":
                        settings["desc"] = Value();
                        continue;
                    case "-extid":
                        settings["external_id"] = Value();
                        continue;
                    case "-meta":
                        meta.Add(Value());
                        continue;
                    case "-break":
                        breaks.Add(Value());
                        continue;
                    case "-trim_in" or "-trim_out":
                        if (!SettingText.TryMilliseconds(Value(), signed: false, out var ms))
                        {
                            error = $"slicer_args: {option} takes milliseconds, such as {option} 5000";
                            return false;
                        }

                        if (option == "-trim_in")
                        {
                            trimIn = ms;
                        }
                        else
                        {
                            trimOut = ms;
                        }

                        continue;
                }

                if (option.StartsWith('-') && SameName.Contains(option[1..]))
                {
                    settings[option[1..]] = Value();
                    continue;
                }
            }
            catch (FormatException)
            {
                error = $"slicer_args: {option} needs a value";
                return false;
            }

            error = Unsupported.TryGetValue(option, out var why)
                ? $"slicer_args: {option} is not supported by CloudSlicer ({why}); remove it"
                : $"slicer_args: '{Clip(option)}' is not a Slicer option CloudSlicer knows; remove it";
            return false;
        }

        if (meta.Count > 0)
        {
            settings["meta"] = string.Join(",,,", meta);
        }

        if (breaks.Count > 0)
        {
            settings["breaks"] = string.Join(",", breaks);
        }

        if (trimIn is not null || trimOut is not null)
        {
            var start = trimIn ?? 0;
            if (trimOut is { } end && end <= start)
            {
                error = "slicer_args: -trim_out must be after -trim_in";
                return false;
            }

            settings["trim"] = trimOut is { } e
                ? string.Create(CultureInfo.InvariantCulture, $"{start},{e - start}")
                : start.ToString(CultureInfo.InvariantCulture);
        }

        return true;
    }

    private static string Clip(string s) => s.Length <= 40 ? s : s[..40] + "…";

    /// <summary>Splits on spaces; "double" or 'single' quotes keep spaces in a value. Null when a quote is left open.</summary>
    private static List<string>? Tokenize(string text)
    {
        var tokens = new List<string>();
        var current = new StringBuilder();
        var inToken = false;
        char? quote = null;
        foreach (var c in text)
        {
            if (quote is { } q)
            {
                if (c == q)
                {
                    quote = null;
                }
                else
                {
                    current.Append(c);
                }
            }
            else if (c is '"' or '\'')
            {
                quote = c;
                inToken = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inToken)
                {
                    tokens.Add(current.ToString());
                    current.Clear();
                    inToken = false;
                }
            }
            else
            {
                current.Append(c);
                inToken = true;
            }
        }

        if (quote is not null)
        {
            return null;
        }

        if (inToken)
        {
            tokens.Add(current.ToString());
        }

        return tokens;
    }
}
