namespace CloudSlicer.Storage.Libraries;

/// <summary>
/// A library: a named list of its owner's assets that the owner may share with other owners, who can then
/// copy those assets into their own accounts. <see cref="Assets"/> holds live assets only, in the order they
/// were added; <see cref="SharedWith"/> the owners it is shared with, in the order they were added.
/// </summary>
public sealed record Library(string Id, string Owner, string Desc, long Created, IReadOnlyList<string> Assets, IReadOnlyList<string> SharedWith);

/// <summary>How a change to a library (assets or shares) ended.</summary>
public abstract record LibraryOutcome
{
    private LibraryOutcome()
    {
    }

    /// <summary>The library as it is now; <paramref name="Missing"/> are the given asset ids that were not acted on.</summary>
    public sealed record Changed(Library Library, IReadOnlyList<string> Missing) : LibraryOutcome;

    /// <summary>No library with that id is visible to the caller (another owner's, unshared, or none at all).</summary>
    public sealed record NotFound : LibraryOutcome;

    /// <summary>The caller sees the library through a share; only its owner may change it.</summary>
    public sealed record NotOwner(Library Library) : LibraryOutcome;

    /// <summary>Share: there is no owner with that id.</summary>
    public sealed record UnknownOwner : LibraryOutcome;

    /// <summary>The change would take the library past a limit (<paramref name="Max"/> assets or shares); nothing changed.</summary>
    public sealed record Full(int Max) : LibraryOutcome;
}

/// <summary>Limits that keep a library answer (which lists every asset and share) a reasonable size.</summary>
public static class LibraryLimits
{
    public const int MaxLibrariesPerOwner = 1000;
    public const int MaxAssetsPerLibrary = 10_000;
    public const int MaxSharesPerLibrary = 100;
    public const int MaxDescLength = 255;
}
