namespace CloudSlicer.Media.Tests;

/// <summary>A fresh directory under /tmp, deleted with everything in it.</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = Directory.CreateTempSubdirectory("cloudslicer-media-").FullName;
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose() => Directory.Delete(Path, recursive: true);
}

/// <summary>Records progress synchronously (Progress&lt;T&gt; posts to the thread pool and would race the assertions).</summary>
public sealed class RecordingProgress : IProgress<double>
{
    private readonly Lock _gate = new();
    private readonly List<double> _values = [];
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task FirstReport => _started.Task;

    public IReadOnlyList<double> Values
    {
        get
        {
            lock (_gate)
            {
                return [.. _values];
            }
        }
    }

    public void Report(double value)
    {
        lock (_gate)
        {
            _values.Add(value);
        }

        _started.TrySetResult();
    }
}
