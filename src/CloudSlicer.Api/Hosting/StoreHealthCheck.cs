using CloudSlicer.Storage.Owners;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CloudSlicer.Api.Hosting;

/// <summary><c>/healthz</c> is healthy when the job store answers a query (a load balancer's readiness probe).</summary>
public sealed class StoreHealthCheck(IOwnerStore owners) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await owners.AnyOwnerAsync(cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("the job store did not answer", ex);
        }
    }
}
