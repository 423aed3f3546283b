namespace CloudSlicer.Slicer;

/// <summary>A job attempt's private scratch directory, deleted on success, failure and cancel alike.</summary>
public sealed class WorkDirectory : IDisposable
{
    private WorkDirectory(string path) => Path = path;

    public string Path { get; }

    public static WorkDirectory Create(string root, string jobId, int attempt)
    {
        var path = System.IO.Path.Combine(root, $"{jobId}-{attempt}-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(path);
        return new WorkDirectory(path);
    }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public string Directory(string name) => System.IO.Directory.CreateDirectory(System.IO.Path.Combine(Path, name)).FullName;

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Path, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // already gone
        }
    }
}
