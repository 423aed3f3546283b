namespace CloudSlicer.Storage.Owners;

/// <summary>Owners (the api2 <c>_owner</c>) and their API keys. Any enabled key of an owner may sign.</summary>
public interface IOwnerStore
{
    /// <summary>Creates an owner with one enabled key.</summary>
    Task<OwnerCredentials> AddOwnerAsync(string? name, CancellationToken cancellationToken);

    Task<bool> AnyOwnerAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Creates an owner with one enabled key only if the store has no owner at all; null otherwise. Atomic across
    /// processes: API nodes starting together on an empty store make one first owner, not one each.
    /// </summary>
    Task<OwnerCredentials?> AddFirstOwnerAsync(string? name, CancellationToken cancellationToken);

    /// <summary>The owner's enabled keys; empty when the owner is unknown.</summary>
    Task<IReadOnlyList<string>> GetEnabledKeysAsync(string owner, CancellationToken cancellationToken);

    /// <summary>Adds another key to an existing owner; null when the owner is unknown.</summary>
    Task<OwnerCredentials?> AddKeyAsync(string owner, CancellationToken cancellationToken);

    /// <summary>All of the owner's keys, enabled or not, oldest first; empty when the owner is unknown.</summary>
    Task<IReadOnlyList<OwnerKey>> ListKeysAsync(string owner, CancellationToken cancellationToken);

    /// <summary>Disables one key; false when no such enabled key exists.</summary>
    Task<bool> DisableKeyAsync(string owner, string key, CancellationToken cancellationToken);
}

/// <summary>One API key as the store holds it. <see cref="Key"/> is the secret: show <see cref="KeyFingerprint"/> instead.</summary>
public sealed record OwnerKey(string Key, bool Enabled, long Created);

/// <summary>An owner id and one of its API keys, shown once when created.</summary>
public sealed record OwnerCredentials(string Owner, string Secret);
