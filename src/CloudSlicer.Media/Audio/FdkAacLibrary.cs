using System.Runtime.InteropServices;

namespace CloudSlicer.Media.Audio;

/// <summary>Whether the Fraunhofer library can be loaded, asked before any call into it.</summary>
public static class FdkAacLibrary
{
    public const string MissingMessage = "HE-AAC needs libfdk-aac2 from Debian non-free: run scripts/deps.sh";

    private static readonly Lazy<bool> Loadable = new(() => CanLoad(FdkAacNative.LibraryName));

    public static bool IsAvailable => Loadable.Value;

    /// <summary>
    /// Throws the operator's instruction instead of letting a DllNotFoundException (whose text names
    /// search paths) reach a job's last_error. <paramref name="fileName"/> is for tests only.
    /// </summary>
    /// <exception cref="MediaException">the library is not installed.</exception>
    public static void EnsureAvailable(string? fileName = null)
    {
        if (fileName is null ? !IsAvailable : !CanLoad(fileName))
        {
            throw new MediaException(MissingMessage);
        }
    }

    private static bool CanLoad(string fileName)
    {
        // Loaded once and kept: the DllImports bind to the same handle the loader already holds.
        return NativeLibrary.TryLoad(fileName, typeof(FdkAacLibrary).Assembly, DllImportSearchPath.SafeDirectories, out _);
    }
}
