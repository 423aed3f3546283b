using System.Runtime.CompilerServices;

namespace CloudSlicer.Media.Tests;

/// <summary>
/// Compares a token list with a golden file, one token per line, so a diff names the flag that changed.
/// UPDATE_GOLDEN=1 rewrites the file in the source tree instead (review the diff before committing).
/// </summary>
public static class Golden
{
    public static void AssertArgs(string name, IReadOnlyList<string> tokens, [CallerFilePath] string callerFile = "")
    {
        var actual = string.Join('\n', tokens) + "\n";
        if (Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1")
        {
            var sourcePath = Path.Combine(Path.GetDirectoryName(callerFile)!, "Golden", name);
            File.WriteAllText(sourcePath, actual);
            return;
        }

        var path = Path.Combine(AppContext.BaseDirectory, "Ffmpeg", "Golden", name);
        Assert.True(File.Exists(path), $"golden file {name} is missing; run with UPDATE_GOLDEN=1 to create it");
        Assert.Equal(File.ReadAllText(path).ReplaceLineEndings("\n"), actual);
    }
}
