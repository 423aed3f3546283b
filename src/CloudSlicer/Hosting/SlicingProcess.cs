using CloudSlicer.Slicer;
using CloudSlicer.Storage;
using CloudSlicer.Storage.Secrets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CloudSlicer.Hosting;

/// <summary>
/// What every <c>cloudslicer</c> process that runs slicers is made of, with or without a web host: configuration,
/// where its state lives (<see cref="Deployment"/>), the job store, the blob store and the slicers (which deliver
/// Slicebot notifications too). <see cref="ServeApp"/> adds the API on top; <see cref="SlicerApp"/> is this alone.
/// </summary>
public static class SlicingProcess
{
    /// <param name="builder">A web application's builder (<c>serve</c>) or a plain host's (slicers only).</param>
    /// <param name="overrides">Configuration from command-line flags; wins over appsettings.json and CLOUDSLICER_* variables.</param>
    /// <exception cref="ConfigurationException">A setting is wrong or ffmpeg is missing; the command prints the message as one line.</exception>
    public static Deployment AddSlicingProcess(this IHostApplicationBuilder builder, IEnumerable<KeyValuePair<string, string?>> overrides)
    {
        ArgumentNullException.ThrowIfNull(builder);

        builder.Configuration.AddEnvironmentVariables("CLOUDSLICER_");
        builder.Configuration.AddInMemoryCollection(overrides);
        // A failed start is reported once, as one line, by the command; the host's own multi-line log of it is noise.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None);

        var deployment = Deployment.From(builder.Configuration);
        PrivateFiles.CreateDirectory(deployment.DataDirectory);   // before anything creates a folder inside it
        builder.Configuration.AddInMemoryCollection([new("Slicer:WorkDirectory", deployment.WorkDirectory)]);
        ToolCheck.RequireMediaTools(builder.Configuration);

        var services = builder.Services;
        services.AddSingleton(deployment);
        deployment.JobStore.AddTo(services);    // SQLite file or PostgreSQL
        deployment.BlobStore.AddTo(services);   // local directory or S3
        AddSecrets(services, builder.Configuration, deployment.DataDirectory);   // S3 source credentials at rest
        services.AddSlicer(builder.Configuration);   // Slicer:Count of them; 0 leaves the jobs to other processes
        return deployment;
    }

    private static void AddSecrets(IServiceCollection services, IConfiguration configuration, string dataDirectory)
    {
        try
        {
            services.AddSecretBox(configuration, dataDirectory);
        }
        catch (FormatException ex)
        {
            throw new ConfigurationException(ex.Message);
        }
    }
}
