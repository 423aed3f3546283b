using CloudSlicer.Storage.Assets;
using CloudSlicer.Storage.Jobs;
using CloudSlicer.Storage.Libraries;
using CloudSlicer.Storage.Notifications;
using CloudSlicer.Storage.Owners;
using CloudSlicer.Storage.Postgres;
using CloudSlicer.Storage.Slicers;
using CloudSlicer.Storage.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CloudSlicer.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// The job queue, owner store and asset records on one SQLite file (created, with its directory, on first use).
    /// Queue settings come from the "Queue" configuration section and are validated at start.
    /// </summary>
    public static IServiceCollection AddSqliteStorage(this IServiceCollection services, string databasePath)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<JobSignals>();
        services.AddSingleton(_ => new SqliteDatabase(databasePath));
        services.AddSingleton<IJobQueue, SqliteJobQueue>();
        services.AddSingleton<IOwnerStore, SqliteOwnerStore>();
        services.AddSingleton<IAssetStore, SqliteAssetStore>();
        services.AddSingleton<AssetRemover>();
        services.AddSingleton<PublishedAssets>();
        services.AddSingleton<INotificationOutbox, SqliteNotificationOutbox>();
        services.AddSingleton<ISlicerRegistry, SqliteSlicerRegistry>();
        services.AddSingleton<ILibraryStore, SqliteLibraryStore>();
        AddQueueOptions(services);
        return services;
    }

    /// <summary>
    /// The same stores on a PostgreSQL database shared by every process of a deployment (schema migrated by the
    /// first process to open it). <paramref name="connectionString"/> is an Npgsql keyword string
    /// (<see cref="PostgresConnectionString.From"/> turns a postgresql:// URI into one).
    /// </summary>
    public static IServiceCollection AddPostgresStorage(this IServiceCollection services, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<JobSignals>();
        services.AddSingleton(_ => new PostgresDatabase(connectionString));
        services.AddSingleton<IJobQueue, PostgresJobQueue>();
        services.AddHostedService<PostgresJobListener>();
        services.AddSingleton<IOwnerStore, PostgresOwnerStore>();
        services.AddSingleton<IAssetStore, PostgresAssetStore>();
        services.AddSingleton<ILibraryStore, PostgresLibraryStore>();
        services.AddSingleton<INotificationOutbox, PostgresNotificationOutbox>();
        services.AddSingleton<ISlicerRegistry, PostgresSlicerRegistry>();
        services.AddSingleton<AssetRemover>();
        services.AddSingleton<PublishedAssets>();
        AddQueueOptions(services);
        return services;
    }

    private static void AddQueueOptions(IServiceCollection services) =>
        services.AddOptions<QueueOptions>()
            .BindConfiguration(QueueOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
}
