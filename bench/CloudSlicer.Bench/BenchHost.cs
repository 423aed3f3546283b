using System.Globalization;

namespace CloudSlicer.Bench;

/// <summary>What every bench's options have in common.</summary>
public interface IBenchOptions
{
    bool Help { get; }
}

/// <summary>
/// The entry point both benches share: parse the options, print usage, stop cleanly on Ctrl+C, and turn an
/// expected failure (a tool, the server or the network) into one line and exit code 1.
/// </summary>
public static class BenchHost
{
    public static async Task<int> RunAsync<TOptions>(
        string name, string usage, Func<IReadOnlyList<string>, TOptions> parse, Func<TOptions, CancellationToken, Task<int>> run, string[] args)
        where TOptions : IBenchOptions
    {
        TOptions options;
        try
        {
            options = parse(args);
        }
        catch (ArgumentException ex)
        {
            await Console.Error.WriteLineAsync($"{name}: {ex.Message}\n\n{usage}");
            return 2;
        }

        if (options.Help)
        {
            Console.WriteLine(usage);
            return 0;
        }

        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };

        try
        {
            return await run(options, stop.Token);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync($"{name}: interrupted");
            return 130;
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or HttpRequestException or CloudSlicer.Media.MediaException)
        {
            await Console.Error.WriteLineAsync($"{name}: FAILED: {ex.Message}");
            return 1;
        }
    }

    /// <summary>The repository root: <paramref name="given"/>, or the folder holding CloudSlicer.slnx above here.</summary>
    public static string FindRoot(string? given)
    {
        if (given is not null)
        {
            return Path.GetFullPath(given);
        }

        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "CloudSlicer.slnx")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException("cannot find the repository root (CloudSlicer.slnx); pass --root");
    }

    /// <summary>Removes a scratch directory; a failure is reported, not thrown (the figures are already in).</summary>
    public static void TryDelete(string name, string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"{name}: could not remove {directory}: {ex.Message}");
        }
    }
}

/// <summary>Reads a bench's command line one option at a time; each bench's parser is only its switch.</summary>
public sealed class BenchArgs(IReadOnlyList<string> args)
{
    private int _index = -1;

    public string Current => args[_index];

    public bool Next()
    {
        _index++;
        return _index < args.Count;
    }

    public string Value() =>
        _index + 1 < args.Count ? args[++_index] : throw new ArgumentException($"{Current} needs a value");

    public int WholeNumber(int min, int max)
    {
        var name = Current;
        var text = Value();
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? n
            : throw new ArgumentException($"{name} must be a whole number from {min} to {max}, not '{text}'");
    }

    public ArgumentException Unknown() => new($"unknown option '{Current}'");
}
